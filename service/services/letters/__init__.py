"""Letters (surat dinas) of a training: settings per office (settings), issuing with
numbers from the office's own counters (issuing), and each letter's text (content)."""
