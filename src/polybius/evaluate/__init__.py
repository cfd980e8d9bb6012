"""Built-in evaluation: PLV pair typing and PETRARCH-2 validation triples.

Usable from Python (``evaluate_plv``, ``evaluate_petr``) and from the CLI
(``polybius eval plv FILE --json``, ``polybius eval petr FILE --json``). Both read gold files
from paths the caller gives; nothing here depends on ../shared/data being present.
"""

from __future__ import annotations

from polybius.evaluate.petr import evaluate_petr, read_petr
from polybius.evaluate.plv import evaluate_plv, heldout_split, read_plv, type_pairs

__all__ = ["evaluate_petr", "evaluate_plv", "heldout_split", "read_petr", "read_plv", "type_pairs"]
