# The fictional world and role users of the access tests serve the dashboard's tests too.
from tests.access.conftest import user_with_role, world  # noqa: F401
