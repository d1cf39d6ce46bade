// The scanner's choice of training, batch and day: with script, a changed choice
// refreshes the lists at once (without, a button does).
document.querySelectorAll("#scan-choose [data-refresh]").forEach(function (el) {
  el.addEventListener("change", function () {
    var form = el.form, input = document.createElement("input");
    input.type = "hidden"; input.name = "change"; input.value = "1";
    form.appendChild(input);
    form.submit();
  });
});
document.documentElement.classList.add("js");
