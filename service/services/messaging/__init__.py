"""Messages to participants: WhatsApp and email, queued in the outbox and sent by a worker.

outbox (queueing, in the caller's transaction) -> queue (claiming and recording, for the
worker) -> worker (sending through providers: whatsapp_cloud, smtp); webhook (delivery
reports and STOP replies), reminders (rules and their schedule), optout, log (what the
committee sees), compose (the words), audience (who).
"""
