"""Subscribing (with a confirmation email), confirming, managing and unsubscribing.
No page needs a password: the signed link in each email is the key."""

from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from alerts import emails, targets, tokens
from alerts.forms import FrequencyForm, SubscribeForm
from alerts.models import Subscription

# At most this many unconfirmed subscriptions per address, so the form cannot be
# used to flood someone's inbox with confirmation emails.
MOST_UNCONFIRMED = 3
BAD_LINK = "This link is not valid. It may be old or copied wrongly."


def _base(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _what(request: HttpRequest) -> tuple[str, str, str] | None:
    """(kind, target, label) asked for in the query string or form, or None."""
    data = request.POST if request.method == "POST" else request.GET
    kind = data.get("kind", "")
    if kind == Subscription.Kind.SEARCH:
        target = data.get("target") if request.method == "POST" else None
        if target is None:
            target = targets.clean_search(request.GET).urlencode()
    else:
        target = data.get("target", "")
    # A NUL cannot be stored or looked up in PostgreSQL text: nothing real has one.
    if kind not in Subscription.Kind.values or len(target) > 1000 or "\x00" in target:
        return None
    label = targets.label_for(kind, target)
    return (kind, target, label) if label else None


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    what = _what(request)
    if what is None:
        return render(
            request,
            "alerts/problem.html",
            {"message": "We could not find what you want alerts about. Go back and try again."},
            status=400,
        )
    kind, target, label = what
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        waiting = Subscription.objects.filter(email=email, confirmed_at__isnull=True).count()
        if waiting >= MOST_UNCONFIRMED:
            form.add_error(
                "email",
                "We have already sent this address several emails to confirm. "
                "Confirm one of those first.",
            )
        else:
            _start(request, email, kind, target, label, form.cleaned_data["frequency"])
            return render(request, "alerts/check_email.html", {"email": email, "label": label})
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "kind": kind, "target": target, "label": label}
    return render(request, "alerts/subscribe.html", context, status=status)


def _start(request, email: str, kind: str, target: str, label: str, frequency: str) -> None:
    """Make the subscription and send the confirmation, unless already confirmed."""
    try:
        with transaction.atomic():
            subscription = Subscription.objects.create(
                email=email, kind=kind, target=target, label=label, frequency=frequency
            )
    except IntegrityError:
        subscription = Subscription.objects.get(email=email, kind=kind, target=target)
        if subscription.confirmed_at is not None:
            return  # Already getting it; say nothing that reveals who subscribes.
    emails.confirmation(subscription, _base(request)).send()


@require_http_methods(["GET", "HEAD"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    pk = tokens.read_confirm(token)
    subscription = Subscription.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if subscription is None:
        return render(request, "alerts/problem.html", {"message": BAD_LINK}, status=404)
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    manage = reverse("alerts:manage", args=[tokens.make(tokens.MANAGE, subscription.email)])
    return render(
        request, "alerts/confirmed.html", {"subscription": subscription, "manage": manage}
    )


@csrf_exempt  # Mail programs post here for one-click unsubscribe (RFC 8058); the token decides.
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    pk = tokens.read(tokens.UNSUBSCRIBE, token)
    subscription = Subscription.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if request.method == "POST":
        if subscription is not None:
            subscription.delete()
        return render(request, "alerts/unsubscribed.html", {})
    if subscription is None:
        # Already gone (or never ours): say so plainly rather than fail.
        return render(request, "alerts/unsubscribed.html", {})
    return render(request, "alerts/unsubscribe.html", {"subscription": subscription})


@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    email = tokens.read(tokens.MANAGE, token)
    if not isinstance(email, str):
        return render(request, "alerts/problem.html", {"message": BAD_LINK}, status=404)
    mine = Subscription.objects.filter(email=email, confirmed_at__isnull=False)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "delete-all":
            Subscription.objects.filter(email=email).delete()
            return render(request, "alerts/unsubscribed.html", {"everything": True})
        try:
            pk = int(request.POST.get("subscription", ""))
        except ValueError:
            raise Http404("No such alert.") from None
        subscription = mine.filter(pk=pk).first()
        if subscription is None:
            raise Http404("No such alert.")
        if action == "unsubscribe":
            subscription.delete()
        elif action == "frequency":
            form = FrequencyForm(request.POST)
            if form.is_valid():
                subscription.frequency = form.cleaned_data["frequency"]
                subscription.save(update_fields=["frequency"])
        return redirect(request.path)
    return render(
        request,
        "alerts/manage.html",
        {
            "subscriptions": list(mine),
            "email": email,
            "frequencies": Subscription.Frequency.choices,
        },
    )


def subscribe_link(kind: str, target: str = "", query: QueryDict | None = None) -> str:
    """Where a page links to subscribe."""
    params = QueryDict(mutable=True)
    if query is not None:
        params = targets.clean_search(query)
    params["kind"] = kind
    if target:
        params["target"] = target
    return reverse("alerts:subscribe") + "?" + params.urlencode()
