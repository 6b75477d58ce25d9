"""Excel returns: template -> safe open -> parse -> validate -> preview -> commit (-> rollback).

Entry points (used by the Returns page and the command line alike):

* :func:`csa.returns.template.build_template` - the .xlsx template for an organisation and
  period;
* :func:`csa.returns.commit.prepare_return` - check a file and preview the changes;
* :func:`csa.returns.commit.commit_return` - import it, all in one transaction or nothing;
* :func:`csa.returns.rollback.rollback_upload` - undo an upload by appending revisions.

See ``docs/returns.md`` for the rules and the checks.
"""

from csa.returns.commit import CommitResult, authorise_return, commit_return, prepare_return
from csa.returns.preview import Preview
from csa.returns.problems import (
    Problem,
    ReturnError,
    ReturnRejected,
    RollbackRefused,
    StaleReturn,
    WarningsNotAcknowledged,
)
from csa.returns.rollback import RollbackResult, rollback_upload
from csa.returns.template import TemplateError, build_template

__all__ = [
    "CommitResult",
    "Preview",
    "Problem",
    "ReturnError",
    "ReturnRejected",
    "RollbackRefused",
    "RollbackResult",
    "StaleReturn",
    "TemplateError",
    "WarningsNotAcknowledged",
    "authorise_return",
    "build_template",
    "commit_return",
    "prepare_return",
    "rollback_upload",
]
