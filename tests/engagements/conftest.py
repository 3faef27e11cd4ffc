# The fictional world and role users of the access tests serve here too.
from tests.access.conftest import user_with_role, world  # noqa: F401
