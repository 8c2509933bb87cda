"""Channel adapters: one package per channel (email, sms, chat, fax)."""
