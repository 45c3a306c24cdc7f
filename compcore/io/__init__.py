"""Files in and out (the one CSV neutraliser), share links and the scenario store."""
