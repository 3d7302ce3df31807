"""What tests share, imported by name (`from tests.support.studio import Studio`).

- `studio`: the two-domain Studio world of the unit tests, and CloudTrail events about it;
- `ports`: fakes of the enforcement service's ports (tags, alerts, directory, inspection);
- `sweep`: an in-memory SageMaker account for the sweep, and the world around its service;
- `handlers`: the Lambda handlers imported by path, and the SQS batches they receive;
- `events`: the shared sample events in `events/`; `project`: where the project's files are;
- `blog_scenario`, `legacy_account`, `seeded_account`, `team_world`: worlds built in the
  emulated account.

conftest.py files only turn these into fixtures.
"""
