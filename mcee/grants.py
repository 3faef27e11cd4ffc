"""django-guardian's direct-foreign-key grant tables, declared the same way for every protected model.

``UserGrant, GroupGrant = grant_tables(Project, __name__)`` in a models module defines
``ProjectUserObjectPermission`` and ``ProjectGroupObjectPermission`` in that module: guardian's
base classes with a ``content_object`` foreign key to the model.
"""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


def grant_tables(model: type[models.Model], module: str):
    def table(suffix: str, base):
        return type(f"{model.__name__}{suffix}", (base,), {
            "__module__": module,
            "content_object": models.ForeignKey(model, on_delete=models.CASCADE),
        })

    return table("UserObjectPermission", UserObjectPermissionBase), table("GroupObjectPermission",
                                                                           GroupObjectPermissionBase)
