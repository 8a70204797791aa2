"""Demo Art Battle schema loader, data generator and (later) the edge emulator."""
