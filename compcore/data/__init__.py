"""CS records -> metric histories -> targets, fitted assumptions and back-tests."""
