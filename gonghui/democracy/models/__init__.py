"""Democratic management's tables, one module per part: congresses and
proposals (congress.py, proposals.py), secret-ballot elections and democratic
evaluation (elections.py, evaluation.py)."""

from gonghui.democracy.models.congress import *  # noqa: F403
from gonghui.democracy.models.elections import *  # noqa: F403
from gonghui.democracy.models.evaluation import *  # noqa: F403
from gonghui.democracy.models.proposals import *  # noqa: F403
