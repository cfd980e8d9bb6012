"""polybius: reads news and keeps an evidence-backed map of international politics.

The public Python API. Everything a user needs is importable from here::

    import polybius
    coded = polybius.code_text("Russian troops joined a Chinese exercise.", date="2021-08-10")
    for event in coded.events:
        print(event.to_json())
"""

from __future__ import annotations

from polybius.pipeline import CodedArticle, CodingProblem, code_article, code_articles, code_text
from polybius.records import Actor, ActorMention, Article, Attribution, Event, Quantity

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "ActorMention",
    "Article",
    "Attribution",
    "CodedArticle",
    "CodingProblem",
    "Event",
    "Quantity",
    "__version__",
    "code_article",
    "code_articles",
    "code_text",
]
