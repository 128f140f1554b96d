import sys


def main():
    print("signed", sys.argv[1] if len(sys.argv) > 1 else "(no file)")
