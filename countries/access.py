"""Who sees countries and their classification (rules for mcee.access)."""

from mcee.access import ModelRule, register_rule

from .models import (
    AsylumStatistic,
    AsylumStatisticGroupObjectPermission,
    AsylumStatisticUserObjectPermission,
    Country,
    CountryClassification,
    CountryClassificationGroupObjectPermission,
    CountryClassificationUserObjectPermission,
    CountryGroupObjectPermission,
    CountryUserObjectPermission,
    TimelinessTarget,
    TimelinessTargetGroupObjectPermission,
    TimelinessTargetUserObjectPermission,
    TravelDocumentCase,
    TravelDocumentCaseGroupObjectPermission,
    TravelDocumentCaseUserObjectPermission,
    TravelDocumentMonth,
    TravelDocumentMonthGroupObjectPermission,
    TravelDocumentMonthUserObjectPermission,
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
    # Asylum statistics: published figures, no sensitive field; whoever may view them sees them all.
    register_rule(CountryDataRule(AsylumStatistic, user_grant_model=AsylumStatisticUserObjectPermission,
                                  group_grant_model=AsylumStatisticGroupObjectPermission))
    # Travel-document data (anonymized, no sensitive field): whoever may view it sees all of it.
    register_rule(CountryDataRule(TravelDocumentCase, user_grant_model=TravelDocumentCaseUserObjectPermission,
                                  group_grant_model=TravelDocumentCaseGroupObjectPermission))
    register_rule(CountryDataRule(TravelDocumentMonth, user_grant_model=TravelDocumentMonthUserObjectPermission,
                                  group_grant_model=TravelDocumentMonthGroupObjectPermission))
    register_rule(CountryDataRule(TimelinessTarget, user_grant_model=TimelinessTargetUserObjectPermission,
                                  group_grant_model=TimelinessTargetGroupObjectPermission))
