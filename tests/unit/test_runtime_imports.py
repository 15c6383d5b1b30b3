"""The runtime package holds inference only: analysing never imports training code."""

from __future__ import annotations

import subprocess
import sys

import pytest

import newsift

pytestmark = pytest.mark.slow  # loads spaCy or an ONNX model (scripts/test.sh --fast skips it)


def test_runtime_modules_do_not_import_training_code():
    code = (
        "import sys, pkgutil, importlib, newsift\n"
        "skip = ('newsift.train', 'newsift.commands.train', 'newsift.corpus.spark', "
        "'newsift.commands.spark', 'newsift.__main__')\n"
        "for m in pkgutil.walk_packages(newsift.__path__, 'newsift.'):\n"
        "    if not m.name.startswith(skip):\n"
        "        importlib.import_module(m.name)\n"
        "bad = sorted(k for k in sys.modules if k.startswith('newsift.train.') or k == 'torch')\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=str(newsift.__path__[0]),
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == ""
