from django.http import HttpResponse
from django.views.decorators.http import require_http_methods

from accounts.access import public


@public
@require_http_methods(["GET", "POST"])
def respond(request, token):
    return HttpResponse("")
