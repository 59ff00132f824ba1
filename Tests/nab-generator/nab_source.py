"""Reading a NAB checkout, or a bare git directory of NAB (such as a mirror), file by file.

Shared by the ARTime scripts: `read_nab(nab, "results/ARTime/...")` returns a file's text from the
work tree when there is one, else from the repository's HEAD; `list_nab(nab, folder)` lists the
files below a folder the same way.
"""

import os
import subprocess


def read_nab(nab, relative):
    path = os.path.join(nab, relative)
    if os.path.exists(path):
        with open(path) as f:
            return f.read()
    return subprocess.run(["git", "-C", nab, "show", "HEAD:" + relative], check=True,
                          capture_output=True, text=True).stdout


def list_nab(nab, folder):
    root = os.path.join(nab, folder)
    if os.path.isdir(root):
        return sorted(os.path.relpath(os.path.join(d, f), nab) for d, _, fs in os.walk(root) for f in fs)
    out = subprocess.run(["git", "-C", nab, "ls-tree", "-r", "--name-only", "HEAD", folder], check=True,
                         capture_output=True, text=True).stdout
    return sorted(out.split())
