"""Certificates: the template and its images, who is eligible, issuing with numbers,
the documents, delivery, revocation, public verification, the review's listing, and the
demo's certificates. One module each; imported as `certificates.<module>`."""
