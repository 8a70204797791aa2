"""The offline router: tools chosen, filled and formatted without a language model."""

from artbattle_ops.router.offline.plan import Plan, Step
from artbattle_ops.router.offline.router import OfflineAnswer, OfflineRouter
from artbattle_ops.router.offline.vocabulary import Vocabulary, load_vocabulary

__all__ = ["OfflineAnswer", "OfflineRouter", "Plan", "Step", "Vocabulary", "load_vocabulary"]
