"""The strategic assessment: the ranking matrix, local priorities and their county roll-up,
relative position against comparators, and the estimated cost of crime.

Modules: :mod:`~csa.strategic.scoring` (weighted scores and ranks),
:mod:`~csa.strategic.aggregation` (county roll-up, changes between rounds),
:mod:`~csa.strategic.suggestions` (data-driven volume and trend scores),
:mod:`~csa.strategic.rounds` (every write, permission-checked and audited),
:mod:`~csa.strategic.results` (what a round shows), :mod:`~csa.strategic.matrix_io`
(Excel export and upload), :mod:`~csa.strategic.position` (ranking against comparators),
:mod:`~csa.strategic.costs` (cost of crime), :mod:`~csa.strategic.demo` (the labelled demo
rounds). The method is written out in ``docs/strategic.md``.
"""
