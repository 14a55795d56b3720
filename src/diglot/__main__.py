"""Entry point for `python -m diglot`."""

from diglot.cli import program

if __name__ == "__main__":  # a spawned worker process imports this module too
    program()
