"""The learned event-typing model: features, training, storage and scoring.

The public entry point is :mod:`polybius.events.learned`; this subpackage holds the pieces:

- ``features``: turns a :class:`~polybius.events.candidates.Candidate` into hashed sparse
  features (text n-grams around the source and target, the trigger, the rule proposal);
- ``linear``: a numpy-only multinomial linear model saved as ``.npz`` (no pickle);
- ``training``: fits the model with scikit-learn from labelled candidates;
- ``cameo_examples`` / ``plvdata``: training data builders (CAMEO verb patterns, PLV rows,
  synthetic headlines and stories), used by ``scripts/train_event_model.py``.
"""

from __future__ import annotations

__all__: list[str] = []
