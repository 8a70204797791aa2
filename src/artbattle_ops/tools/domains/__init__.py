"""Handler modules, one per domain; importing a module registers its handlers."""
