"""Follow-up actions (rencana tindak lanjut): making and updating them, carrying them to
the next meeting, their evidence, the units' private links, the board and reminders."""
