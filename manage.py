#!/usr/bin/env python
from gonghui.cli import main

if __name__ == "__main__":
    main()
