"""Sign-in with a password is for people: a system account's user is refused even if someone gives
it a password later. Permissions are read as Django's ``ModelBackend`` reads them."""

from django.contrib.auth.backends import ModelBackend


class PeopleModelBackend(ModelBackend):
    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        from ..models import SystemAccount

        return not SystemAccount.objects.filter(user_id=user.pk).exists()
