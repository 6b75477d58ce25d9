"""Critical recovery plans: the evidence that drafts them, their content, workflow and tracking.

* :mod:`csa.plans.evidence`: the pre-filled draft from the assessment.
* :mod:`csa.plans.contributions`: each area's exact share of a grouping's change or shortfall.
* :mod:`csa.plans.content`: what a plan holds (root causes, actions, trajectory, ...) and its
  checks.
* :mod:`csa.plans.workflow`: states, moves and who may make them (via :mod:`csa.access`).
* :mod:`csa.plans.tracking`: missed trajectories, overdue actions and plans, the register.

The rows live in ``recovery_plans`` and ``plan_versions`` (:mod:`csa.db.plans`).
"""
