"""The evaluation summary of a training's activity report: means per item for the event,
and per session with its narasumber. Only what services/evaluations/results.py shows the
committee (nothing below its minimum of answers), and never a comment: a report travels
to other offices, and a comment can name or betray its author."""

from collections import defaultdict

from sqlmodel import Session

from service.models import Training
from service.rendering.report_sections import EvaluationBlock, EvaluationFigures, EvaluationMean
from service.services.evaluations import results
from service.services.speakers import display_name


def _items(result: results.FormResult) -> list[EvaluationMean]:
    return [EvaluationMean(i.text, i.mean) for i in result.items] if result.shown else []


def figures(db: Session, training: Training) -> EvaluationFigures | None:
    """The summary, or None when nobody answered any evaluation of the training."""
    ev = results.training_evaluations(db, training)
    event = ev.event
    answered = [s for s in ev.sessions if s.result is not None and s.result.responses]
    if not answered and (event is None or not event.responses):
        return None
    blocks = []
    # Item means over the sessions shown, each answer counted once (not a mean of means).
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    for s in answered:
        r = s.result
        assert r is not None
        speakers = ", ".join(display_name(sp) for sp in s.item.speakers)
        blocks.append(EvaluationBlock(
            s.item.session.title, " · ".join(p for p in (s.batch.name, speakers) if p),
            r.responses, s.rate.expected, r.shown, r.mean, _items(r)))
        if r.shown:
            for item in r.items:
                n = sum(item.counts)
                if n and item.mean is not None:
                    totals[item.key][0] += item.mean * n
                    totals[item.key][1] += n
    session_items = [EvaluationMean(i.text, totals[i.key][0] / totals[i.key][1])
                     for i in ev.narasumber_form.items if totals.get(i.key, [0, 0])[1]]
    event_block = None
    if event is not None and event.responses:
        event_block = EvaluationBlock(ev.event_form.title, "", event.responses,
                                      ev.event_rate.expected, event.shown, event.mean,
                                      _items(event))
    scale = max([ev.narasumber_form.scale, ev.event_form.scale,
                 *(s.result.scale for s in answered if s.result)])
    return EvaluationFigures(scale, results.MIN_SHOWN, event_block, blocks, session_items)
