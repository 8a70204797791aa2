"""The local emulator of the three Supabase Edge Functions the write tools call (schema.md §7)."""
