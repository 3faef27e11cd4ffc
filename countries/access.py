"""Who sees countries and their classification (rules for mcee.access)."""

from mcee.access import ModelRule, register_rule

from .models import (
    Country,
    CountryClassification,
    CountryClassificationGroupObjectPermission,
    CountryClassificationUserObjectPermission,
    CountryGroupObjectPermission,
    CountryUserObjectPermission,
)


class CountryDataRule(ModelRule):
    """Whoever may view countries may view all of them; the rationale is for MCET and RWG only."""

    def scope(self, user, roles):
        return None


def register():
    register_rule(CountryDataRule(Country, user_grant_model=CountryUserObjectPermission,
                                  group_grant_model=CountryGroupObjectPermission))
    register_rule(CountryDataRule(CountryClassification, sensitive_fields=("rationale",),
                                  user_grant_model=CountryClassificationUserObjectPermission,
                                  group_grant_model=CountryClassificationGroupObjectPermission))
