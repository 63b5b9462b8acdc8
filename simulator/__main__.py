"""`python -m simulator` runs the same command line as `brisim`."""

from simulator.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
