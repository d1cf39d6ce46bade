"""Pre-tests and post-tests: the question bank (bank, sheets), the batches a test is open
to (windows), answer sheets from phones and from paper (answering, paper), and what they
show (results, learning, passing)."""
