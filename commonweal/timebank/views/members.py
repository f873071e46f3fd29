"""Joining, the member dashboard and statement, and the broker console with its member pages."""

from __future__ import annotations

import csv
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commonweal.accounts.decorators import forbidden, sensitive_view
from commonweal.accounts.models import User
from commonweal.core.audit import access_record
from commonweal.core.spreadsheets import csv_safe
from commonweal.timebank import giftboard as board
from commonweal.timebank import ledger, selectors
from commonweal.timebank.constants import (
    AccountStatus,
    MemberStatus,
    PostKind,
    PostStatus,
    TransactionState,
)
from commonweal.timebank.giftboard import connection_exchange, dashboard_giftboard
from commonweal.timebank.giftboard_forms import AskForm, PostForm
from commonweal.timebank.member_forms import (
    GAVE,
    PAYER_POT,
    PAYER_TIMEBANK,
    RECEIVED,
    AccountLimitsForm,
    AccountStatusForm,
    BrokerApprovalForm,
    BrokerDonationForm,
    BrokerExchangeForm,
    DecisionForm,
    DonationForm,
    ExchangeForm,
    GroupActivityForm,
    JoinForm,
    OrganisationAccountForm,
    ProxyMemberForm,
    RestrictionsForm,
    ReverseForm,
    VettingForm,
)
from commonweal.timebank.member_selectors import (
    account_get,
    account_of_member,
    applications_pending,
    community_pot,
    exchanges_awaiting_broker,
    exchanges_flagged,
    exchanges_to_confirm,
    exchanges_waiting,
    giftboard_connection_get,
    group_activities_still_needed,
    group_activity_payers,
    member_for_user,
    member_get,
    members_inactive,
    members_list,
    members_of_user,
    organisation_accounts,
    organisation_accounts_for,
    statement_rows,
    timebank_get,
    timebank_list,
    transaction_get,
    transactions_recent,
    vetting_expiring,
    vetting_list,
    vetting_status_words,
)
from commonweal.timebank.membership import (
    can_broker,
    member_apply,
    member_approve,
    member_decline,
    member_restrictions_set,
    organisation_account_add,
    proxy_member_create,
    vetting_record_add,
)
from commonweal.timebank.models import (
    Account,
    Connection,
    GiftPost,
    Member,
    Timebank,
    Transaction,
)
from commonweal.timebank.templatetags.timebank_members import minutes_as_hmm, minutes_in_words
from commonweal.timebank.views.giftboard import NEW_KINDS, _kind_word

STATEMENT_ROWS_ON_DASHBOARD = 10
REJECT_REASON = "It did not happen as recorded."


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # every view below needs sign-in
    return user


def _add_errors(form: Any, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its fields where it names them."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _timebank_or_404(slug: str) -> Timebank:
    timebank = timebank_get(slug=slug)
    if timebank is None:
        raise Http404("No such timebank")
    return timebank


def _balance(account: Account | None) -> int | None:
    return selectors.account_balance(account) if account is not None else None


# --- Home and joining -------------------------------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    timebanks = list(timebank_list())
    mine = {member.timebank_id: member for member in members_of_user(user=request.user)}
    brokered = {timebank.pk for timebank in selectors.timebanks_brokered_by(user=request.user)}
    rows = [
        {"timebank": timebank, "member": mine.get(timebank.pk), "brokers": timebank.pk in brokered}
        for timebank in timebanks
    ]
    organisation_accounts = [
        account.name for account in organisation_accounts_for(user=request.user)
    ]
    return render(
        request,
        "timebank/home.html",
        {"rows": rows, "organisation_accounts": organisation_accounts},
    )


@require_http_methods(["GET", "POST"])
@login_required
def join(request: HttpRequest, slug: str) -> HttpResponse:
    timebank = _timebank_or_404(slug)
    user = _user(request)
    existing = member_for_user(user=user, slug=slug)
    if existing is not None and existing.status != MemberStatus.DECLINED:
        return redirect(f"{reverse('timebank:dashboard')}?timebank={slug}")
    initial = {"display_name": user.get_short_name()}
    form = JoinForm(request.POST or None, timebank=timebank, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member_apply(
                actor=user,
                timebank=timebank,
                display_name=data["display_name"],
                locality=data["locality"],
                can_offer=data["can_offer"],
                might_need=data["might_need"],
                postcode=data["postcode"],
                agrees=data["agrees"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, f"Thank you for applying to {timebank.name}. A broker will be in touch."
            )
            return redirect(f"{reverse('timebank:dashboard')}?timebank={slug}")
    return render(
        request,
        "timebank/join.html",
        {"timebank": timebank, "form": form, "previous": existing},
        status=400 if form.errors else 200,
    )


# --- The member dashboard and statement ------------------------------------------------------------


def _member_context(member: Member) -> dict[str, Any]:
    account = account_of_member(member=member)
    context: dict[str, Any] = {
        "member": member,
        "timebank": member.timebank,
        "account": account,
        "balance": _balance(account),
        "vetting_words": vetting_status_words(member=member),
    }
    if member.status == MemberStatus.ACTIVE:
        context["group_activities_needed"] = group_activities_still_needed(member=member)
    return context


@require_GET
@sensitive_view
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    member = member_for_user(user=user, slug=request.GET.get("timebank") or None)
    if member is None:
        return render(
            request,
            "timebank/dashboard_none.html",
            {"timebanks": timebank_list(), "asked": request.GET.get("timebank")},
        )
    connection, initial = _record_from_connection(request, member)
    form = ExchangeForm(member=member, initial=initial)
    return _dashboard_render(request, member, form, from_connection=connection)


def _record_from_connection(
    request: HttpRequest, member: Member
) -> tuple[Connection | None, dict[str, Any]]:
    """``?connection=`` names a gift board connection made: the record form starts with the other
    person chosen, who helped whom and the post's title (the ledger's consent policy still applies)."""
    value = request.GET.get("connection")
    if not value:
        return None, {}
    try:
        connection = giftboard_connection_get(public_id=UUID(value))
    except ValueError:
        return None, {}
    found = connection_exchange(connection, request.user) if connection is not None else None
    if found is None or found.member.pk != member.pk:
        return None, {}
    initial: dict[str, Any] = {
        "payee": found.other.pk,
        "direction": GAVE if found.gave else RECEIVED,
        "description": found.description,
    }
    if found.category is not None:
        initial["category"] = found.category.pk
    return connection, initial


def _dashboard_render(
    request: HttpRequest,
    member: Member,
    form: ExchangeForm,
    status: int = 200,
    from_connection: Connection | None = None,
) -> HttpResponse:
    context = _member_context(member)
    context["from_connection"] = from_connection
    account = context["account"]
    if account is not None and member.status == MemberStatus.ACTIVE:
        context["statement"] = statement_rows(account=account, limit=STATEMENT_ROWS_ON_DASHBOARD)
        context["to_confirm"] = _confirm_rows(account, exchanges_to_confirm(member=member))
        context["waiting"] = list(exchanges_waiting(member=member))
    context["form"] = form
    context["giftboard"] = dashboard_giftboard(member=member)
    context["other_memberships"] = [
        other for other in members_of_user(user=request.user) if other.pk != member.pk
    ]
    return render(request, "timebank/dashboard.html", context, status=status)


def _confirm_rows(account: Account, transactions: Any) -> list[dict[str, Any]]:
    rows = []
    for transaction in transactions:
        entries = list(transaction.entries.all())
        mine = sum(entry.amount_minutes for entry in entries if entry.account_id == account.pk)
        others = [entry.account.name for entry in entries if entry.account_id != account.pk]
        rows.append(
            {"transaction": transaction, "minutes": abs(mine), "gave": mine > 0, "others": others}
        )
    return rows


@require_POST
@sensitive_view
def exchange_record(request: HttpRequest, slug: str) -> HttpResponse:
    """A member records help they received: their account pays the helper's."""
    user = _user(request)
    member = member_for_user(user=user, slug=slug)
    if member is None or member.status != MemberStatus.ACTIVE:
        raise Http404("You are not an active member of this timebank")
    account = account_of_member(member=member)
    form = ExchangeForm(request.POST, member=member)
    if form.is_valid() and account is not None:
        data = form.cleaned_data
        gave = data["direction"] == GAVE
        try:
            transaction, _created = ledger.exchange_record(
                actor=user,
                client_id=data["client_id"],
                payer=data["payee"] if gave else account,
                payee=account if gave else data["payee"],
                minutes=data["total_minutes"],
                description=data["description"],
                service_date=data["service_date"],
                category=data["category"],
                home_visit=data["home_visit"],
            )
        except ledger.LedgerError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _recorded_message(transaction))
            return redirect(f"{reverse('timebank:dashboard')}?timebank={slug}")
    return _dashboard_render(request, member, form, status=400)


def _recorded_message(transaction: Transaction) -> str:
    if transaction.state == TransactionState.COMMITTED:
        return "The exchange is recorded and the hours have moved."
    if transaction.state == TransactionState.AWAITING_BROKER:
        reason = transaction.needs_broker_because or "a broker needs to look at it."
        return f"The exchange is recorded. It waits for a broker: {reason}"
    return "The exchange is recorded. It counts once the other person confirms it."


@require_POST
@sensitive_view
def exchange_answer(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A party confirms or rejects a pending exchange."""
    user = _user(request)
    transaction = transaction_get(public_id=public_id)
    if transaction is None:
        raise Http404("No such exchange")
    member = member_for_user(user=user, slug=transaction.timebank.slug)
    account = account_of_member(member=member) if member is not None else None
    if account is None or not transaction.entries.filter(account=account).exists():
        raise Http404("No such exchange")
    decision = request.POST.get("decision")
    try:
        if decision == "confirm":
            ledger.transaction_confirm(actor=user, transaction=transaction)
            messages.success(request, "Thank you: you have confirmed the exchange.")
        elif decision == "reject":
            reason = request.POST.get("reason", "").strip() or REJECT_REASON
            ledger.transaction_reject(actor=user, transaction=transaction, reason=reason)
            messages.success(request, "You have said the exchange did not happen like that.")
        else:
            messages.error(request, "Choose to confirm or reject the exchange.")
    except ledger.LedgerError as error:
        messages.error(request, str(error))
    return redirect(f"{reverse('timebank:dashboard')}?timebank={transaction.timebank.slug}")


def _statement_member(request: HttpRequest, slug: str) -> Member:
    member = member_for_user(user=_user(request), slug=slug)
    if member is None:
        raise Http404("You are not a member of this timebank")
    return member


@require_GET
@sensitive_view
def statement(request: HttpRequest, slug: str) -> HttpResponse:
    """The member's own statement, printable."""
    member = _statement_member(request, slug)
    return _statement_render(request, member, own=True)


def _statement_render(request: HttpRequest, member: Member, *, own: bool) -> HttpResponse:
    context = _member_context(member)
    account = context["account"]
    context["statement"] = statement_rows(account=account) if account is not None else []
    context["own"] = own
    context["today"] = timezone.localdate()
    return render(request, "timebank/statement.html", context)


@require_GET
@sensitive_view
def statement_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The member's own statement as a spreadsheet (CSV)."""
    member = _statement_member(request, slug)
    return _statement_csv(member)


def _statement_csv(member: Member) -> HttpResponse:
    account = account_of_member(member=member)
    rows = statement_rows(account=account) if account is not None else []
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"timebank-statement-{member.timebank.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(
        ["Date", "What", "With", "Kind", "Minutes", "Hours (h:mm)", "Balance (h:mm)", "Reason"]
    )
    for row in rows:
        writer.writerow(
            [
                row.service_date.isoformat(),
                csv_safe(row.description),
                csv_safe(row.counterparty),
                row.kind_label,
                row.amount_minutes,
                minutes_as_hmm(row.amount_minutes),
                minutes_as_hmm(row.balance_after),
                csv_safe(row.reason),
            ]
        )
    return response


# --- The broker console ----------------------------------------------------------------------------


def _broker_timebank(request: HttpRequest, slug: str) -> Timebank | HttpResponse:
    timebank = _timebank_or_404(slug)
    decision = can_broker(request.user, timebank)
    if not decision:
        return forbidden(request, decision)
    return timebank


def broker_view(view: Any) -> Any:
    """A broker page of one timebank: sign-in, never cached, sensitive, brokers of that timebank only."""

    def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        timebank = _broker_timebank(request, slug)
        if isinstance(timebank, HttpResponse):
            return timebank
        return view(request, timebank, *args, **kwargs)  # type: ignore[no-any-return]

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    guarded: Any = sensitive_view(never_cache(wrapper))
    guarded.required_roles = ("broker", "coordinator", "admin")
    return guarded


@require_GET
@broker_view
def broker(request: HttpRequest, timebank: Timebank) -> HttpResponse:
    """The broker console: everything waiting for a broker of this timebank."""
    context = {
        "timebank": timebank,
        "applications": list(applications_pending(timebank=timebank)),
        "awaiting": list(exchanges_awaiting_broker(timebank=timebank)),
        "vetting": list(vetting_expiring(timebank=timebank)),
        "inactive": list(members_inactive(timebank=timebank)),
        "recent": list(transactions_recent(timebank=timebank)),
        "flagged": list(exchanges_flagged(timebank=timebank)),
        "today": timezone.localdate(),
        "decision_form": DecisionForm(),
        "pot": community_pot(timebank=timebank),
    }
    return render(request, "timebank/broker/console.html", context)


@require_POST
@broker_view
def application_decide(request: HttpRequest, timebank: Timebank, public_id: UUID) -> HttpResponse:
    member = member_get(timebank=timebank, public_id=public_id)
    if member is None:
        raise Http404("No such application")
    form = DecisionForm(request.POST)
    user = _user(request)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                member_approve(actor=user, member=member)
                messages.success(request, f"{member.display_name} is now a member.")
            else:
                member_decline(actor=user, member=member, reason=form.cleaned_data["reason"])
                messages.success(request, f"We have told {member.display_name} your decision.")
            return redirect("timebank:broker", slug=timebank.slug)
        except ValidationError as error:
            _add_errors(form, error)
    return render(
        request,
        "timebank/broker/application.html",
        {"timebank": timebank, "member": member, "form": form},
        status=400,
    )


@require_GET
@broker_view
def application_detail(request: HttpRequest, timebank: Timebank, public_id: UUID) -> HttpResponse:
    member = member_get(timebank=timebank, public_id=public_id)
    if member is None or member.status != MemberStatus.APPLIED:
        raise Http404("No such application")
    access_record(actor=request.user, target=member, purpose="application", path=request.path)
    return render(
        request,
        "timebank/broker/application.html",
        {"timebank": timebank, "member": member, "form": DecisionForm()},
    )


@require_POST
@broker_view
def exchange_approve(request: HttpRequest, timebank: Timebank, public_id: UUID) -> HttpResponse:
    """A broker approves or rejects an exchange that waits for them."""
    transaction = transaction_get(timebank=timebank, public_id=public_id)
    if transaction is None:
        raise Http404("No such exchange")
    form = BrokerApprovalForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to approve or reject the exchange.")
        return redirect("timebank:broker", slug=timebank.slug)
    try:
        if form.cleaned_data["decision"] == "approve":
            ledger.transaction_approve(actor=_user(request), transaction=transaction)
            messages.success(request, "You approved the exchange: the hours have moved.")
        else:
            ledger.transaction_reject(
                actor=_user(request), transaction=transaction, reason=form.cleaned_data["note"]
            )
            messages.success(request, "You rejected the exchange.")
    except ledger.LedgerError as error:
        messages.error(request, str(error))
    return redirect("timebank:broker", slug=timebank.slug)


@require_http_methods(["GET", "POST"])
@broker_view
def exchange_reverse(request: HttpRequest, timebank: Timebank, public_id: UUID) -> HttpResponse:
    """Reverse a committed exchange with a reason, from the console or from a member's statement
    (``?member=`` names the member whose statement the broker came from, to go back to it)."""
    transaction = transaction_get(timebank=timebank, public_id=public_id)
    if transaction is None or transaction.state != TransactionState.COMMITTED:
        raise Http404("No such exchange")
    member = _reverse_from_member(timebank, transaction, request.GET.get("member"))
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ledger.transaction_reverse(
                actor=_user(request),
                transaction=transaction,
                reason=form.cleaned_data["reason"],
                client_id=form.cleaned_data["client_id"],
            )
        except ledger.LedgerError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The exchange is reversed; both members can see why.")
            if member is not None:
                return redirect(
                    "timebank:member_statement", slug=timebank.slug, public_id=member.public_id
                )
            return redirect("timebank:broker", slug=timebank.slug)
    entries = list(transaction.entries.select_related("account"))
    return render(
        request,
        "timebank/broker/reverse.html",
        {
            "timebank": timebank,
            "transaction": transaction,
            "entries": entries,
            "form": form,
            "member": member,
        },
        status=400 if form.errors else 200,
    )


def _reverse_from_member(
    timebank: Timebank, transaction: Transaction, value: str | None
) -> Member | None:
    """The member of ``timebank`` named by ``value`` if the transaction is on their account."""
    if not value:
        return None
    try:
        public_id = UUID(value)
    except ValueError:
        return None
    member = member_get(timebank=timebank, public_id=public_id)
    if member is None or not transaction.entries.filter(account__member=member).exists():
        return None
    return member


@require_http_methods(["GET", "POST"])
@broker_view
def broker_record(request: HttpRequest, timebank: Timebank) -> HttpResponse:
    """Record an exchange for someone: who recorded it and for whom are both kept."""
    form = BrokerExchangeForm(request.POST or None, timebank=timebank)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        for_whom: Account = data[data["for_whom"]]
        try:
            transaction, _created = ledger.exchange_record(
                actor=_user(request),
                client_id=data["client_id"],
                payer=data["payer"],
                payee=data["payee"],
                minutes=data["total_minutes"],
                description=data["description"],
                service_date=data["service_date"],
                category=data["category"],
                on_behalf_of=for_whom.member,
                home_visit=data["home_visit"],
            )
        except ledger.LedgerError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _recorded_message(transaction))
            return redirect("timebank:broker", slug=timebank.slug)
    return render(
        request,
        "timebank/broker/record.html",
        {"timebank": timebank, "form": form},
        status=400 if form.errors else 200,
    )


def _group_payer(timebank: Timebank, choice: str) -> Account | None:
    """The account chosen to pay a group activity (None: the timebank's own, as the ledger does)."""
    if choice == PAYER_POT:
        pot, _issuer = ledger.timebank_accounts_ensure(timebank=timebank)
        return pot
    if choice == PAYER_TIMEBANK:
        return None
    return group_activity_payers(timebank=timebank).filter(public_id=choice).first()


@require_http_methods(["GET", "POST"])
@broker_view
def group_activity(request: HttpRequest, timebank: Timebank) -> HttpResponse:
    """Record a group activity: each member who took part earns the time, in one transaction."""
    form = GroupActivityForm(request.POST or None, timebank=timebank)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        attendees = list(data["attendees"])
        try:
            transaction, _created = ledger.group_activity_record(
                actor=_user(request),
                client_id=data["client_id"],
                timebank=timebank,
                attendees=attendees,
                minutes_each=data["total_minutes"],
                description=data["description"],
                service_date=data["service_date"],
                payer=_group_payer(timebank, data["payer"]),
                category=data["category"],
            )
        except ledger.LedgerError as error:
            form.add_error(None, str(error))
        else:
            if transaction.state == TransactionState.COMMITTED:
                messages.success(
                    request,
                    f"The group activity is recorded: {len(attendees)} "
                    f"{'person' if len(attendees) == 1 else 'people'} earned "
                    f"{minutes_in_words(data['total_minutes'])} each.",
                )
            else:
                messages.success(request, _recorded_message(transaction))
            return redirect("timebank:broker", slug=timebank.slug)
    return render(
        request,
        "timebank/broker/group_activity.html",
        {"timebank": timebank, "form": form},
        status=400 if form.errors else 200,
    )


def _donate(request: HttpRequest, form: DonationForm, donor: Account | None) -> Transaction | None:
    """Give the form's time from ``donor`` to the pot; a refusal goes on the form."""
    data = form.cleaned_data
    if donor is None:
        return None
    note = data["note"].strip()
    try:
        transaction, _created = ledger.donation_record(
            actor=_user(request),
            client_id=data["client_id"],
            donor=donor,
            minutes=data["total_minutes"],
            description=f"Donation to the community pot: {note}"
            if note
            else "Donation to the community pot",
        )
    except ledger.LedgerError as error:
        form.add_error(None, str(error))
        return None
    return transaction


@require_http_methods(["GET", "POST"])
@sensitive_view
def donate(request: HttpRequest, slug: str) -> HttpResponse:
    """A member gives some of their time to the community pot."""
    member = member_for_user(user=_user(request), slug=slug)
    if member is None or member.status != MemberStatus.ACTIVE:
        raise Http404("You are not an active member of this timebank")
    account = account_of_member(member=member)
    if account is None:
        raise Http404("You have no account in this timebank yet")
    form = DonationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        transaction = _donate(request, form, account)
        if transaction is not None:
            messages.success(
                request,
                f"Thank you: you gave {minutes_in_words(form.cleaned_data['total_minutes'])} "
                "to the community pot.",
            )
            return redirect(f"{reverse('timebank:dashboard')}?timebank={slug}")
    return render(
        request,
        "timebank/donate.html",
        {
            "timebank": member.timebank,
            "form": form,
            "balance": _balance(account),
            "action": reverse("timebank:donate", args=[slug]),
            "back": f"{reverse('timebank:dashboard')}?timebank={slug}",
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@broker_view
def broker_donate(request: HttpRequest, timebank: Timebank) -> HttpResponse:
    """A broker gives a member's time to the community pot on their behalf."""
    form = BrokerDonationForm(request.POST or None, timebank=timebank)
    if request.method == "POST" and form.is_valid():
        donor: Account = form.cleaned_data["donor"]
        transaction = _donate(request, form, donor)
        if transaction is not None:
            messages.success(
                request,
                f"{donor.name} gave {minutes_in_words(form.cleaned_data['total_minutes'])} "
                "to the community pot.",
            )
            return redirect("timebank:broker", slug=timebank.slug)
    return render(
        request,
        "timebank/donate.html",
        {
            "timebank": timebank,
            "form": form,
            "for_broker": True,
            "action": reverse("timebank:broker_donate", args=[timebank.slug]),
            "back": reverse("timebank:broker", args=[timebank.slug]),
        },
        status=400 if form.errors else 200,
    )


@require_GET
@broker_view
def member_list(request: HttpRequest, timebank: Timebank) -> HttpResponse:
    return render(
        request,
        "timebank/broker/members.html",
        {
            "timebank": timebank,
            "rows": members_list(timebank=timebank),
            "organisation_accounts": list(organisation_accounts(timebank=timebank)),
        },
    )


@require_GET
@broker_view
def member_list_csv(request: HttpRequest, timebank: Timebank) -> HttpResponse:
    rows = members_list(timebank=timebank)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"timebank-members-{timebank.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "Name",
            "Status",
            "Locality",
            "Ward",
            "Joined",
            "Proxy (no email)",
            "Account",
            "Balance (minutes)",
            "Balance (h:mm)",
            "Vetting records",
        ]
    )
    for row in rows:
        member, account = row.member, row.account
        balance = account.cached_balance if account is not None else None
        writer.writerow(
            [
                csv_safe(member.display_name),
                member.get_status_display(),
                csv_safe(member.locality.name if member.locality else ""),
                member.ward.name if member.ward else "",
                member.joined_on.isoformat() if member.joined_on else "",
                "yes" if member.is_proxy else "no",
                account.get_status_display() if account is not None else "",
                balance if balance is not None else "",
                minutes_as_hmm(balance) if balance is not None else "",
                row.vetting_count,
            ]
        )
    return response


def _member_or_404(timebank: Timebank, public_id: UUID) -> Member:
    member = member_get(timebank=timebank, public_id=public_id)
    if member is None or member.status in (MemberStatus.APPLIED, MemberStatus.DECLINED):
        raise Http404("No such member")
    return member


@require_GET
@broker_view
def member_detail(request: HttpRequest, timebank: Timebank, public_id: UUID) -> HttpResponse:
    """A member as a broker sees them: vetting, account, recent statement, contact notes."""
    member = _member_or_404(timebank, public_id)
    access_record(actor=request.user, target=member, purpose="broker", path=request.path)
    context = _member_context(member)
    account = context["account"]
    context["vetting"] = list(vetting_list(member=member))
    context["statement"] = (
        statement_rows(account=account, limit=STATEMENT_ROWS_ON_DASHBOARD)
        if account is not None
        else []
    )
    context["status_form"] = AccountStatusForm(
        initial={
            "status": AccountStatus.OPEN
            if account is None or account.status != AccountStatus.OPEN
            else AccountStatus.FROZEN
        }
    )
    context["limits_form"] = _limits_form(account)
    if member.is_proxy and member.status == MemberStatus.ACTIVE:
        context["proxy_giftboard"] = dashboard_giftboard(member=member)
        context["post_kinds"] = [(kind, heading) for kind, (_k, _g, heading) in NEW_KINDS.items()]
    return render(request, "timebank/broker/member.html", context)


# --- The gift board for proxy members -------------------------------------------------------------


def _proxy_or_404(timebank: Timebank, public_id: UUID) -> Member:
    member = _member_or_404(timebank, public_id)
    if not member.is_proxy or member.status != MemberStatus.ACTIVE:
        raise Http404("Not an active member you act for")
    return member


@require_http_methods(["GET", "POST"])
@broker_view
def proxy_post_create(
    request: HttpRequest, timebank: Timebank, public_id: UUID, kind: str
) -> HttpResponse:
    """A broker puts an offer or a need on the gift board for a member without email; replies come
    to the broker, who posted it."""
    member = _proxy_or_404(timebank, public_id)
    if kind not in NEW_KINDS:
        raise Http404("No such kind of post")
    post_kind, goods, heading = NEW_KINDS[kind]
    form = PostForm(request.POST or None, request.FILES or None, goods=goods)
    if request.method == "POST" and form.is_valid():
        try:
            post = board.post_save(
                actor=_user(request),
                member=member,
                data=form.post_data(post_kind),
                postcode=form.cleaned_data["postcode"],
            )
        except board.GiftboardError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                f"{member.display_name}'s post is on the gift board. Replies come to you.",
            )
            return redirect("timebank:giftboard_post", public_id=post.public_id)
    return render(
        request,
        "timebank/giftboard/post_form.html",
        {
            "form": form,
            "heading": f"{heading} for {member.display_name}",
            "kind": kind,
            "goods": goods,
            "for_member": member,
            "action": reverse(
                "timebank:proxy_post_create", args=[timebank.slug, member.public_id, kind]
            ),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@broker_view
def proxy_ask(
    request: HttpRequest, timebank: Timebank, public_id: UUID, post_id: UUID
) -> HttpResponse:
    """A broker asks about a post for a member without email; the reply comes to the broker."""
    member = _proxy_or_404(timebank, public_id)
    post = (
        GiftPost.objects.select_related("timebank", "member", "organisation", "category")
        .filter(timebank=timebank, public_id=post_id)
        .first()
    )
    if post is None:
        raise Http404("No such post")
    back = redirect("timebank:member_detail", slug=timebank.slug, public_id=member.public_id)
    if not board.post_can_ask(post, member):
        messages.error(request, f"You cannot ask about this post for {member.display_name}.")
        return back
    theirs = list(
        GiftPost.objects.live().filter(
            member=member,
            status=PostStatus.OPEN,
            kind=PostKind.NEED if post.kind == PostKind.OFFER else PostKind.OFFER,
        )[:20]
    )
    form = AskForm(request.POST or None, my_posts=theirs)
    if request.method == "POST" and form.is_valid():
        try:
            connection = board.connection_request(
                actor=_user(request),
                member=member,
                post=post,
                message=form.cleaned_data["message"],
                via_hub=form.cleaned_data["via_hub"],
                their_post=form.cleaned_data.get("their_post"),
            )
        except board.GiftboardError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request, f"Your message for {member.display_name} is sent. Replies come to you."
            )
            return redirect("timebank:giftboard_connection", public_id=connection.public_id)
    return render(
        request,
        "timebank/giftboard/ask.html",
        {
            "post": post,
            "form": form,
            "kind_word": _kind_word(post),
            "for_member": member,
            "action": reverse(
                "timebank:proxy_ask", args=[timebank.slug, member.public_id, post.public_id]
            ),
        },
        status=400 if form.errors else 200,
    )


def _limits_form(account: Account | None, data: Any = None) -> AccountLimitsForm:
    initial = {}
    if account is not None:
        initial = {
            "min_hours": account.min_balance // 60 if account.min_balance is not None else None,
            "max_hours": account.max_balance // 60 if account.max_balance is not None else None,
        }
    return AccountLimitsForm(data, initial=initial)


@require_GET
@broker_view
def member_statement(request: HttpRequest, timebank: Timebank, public_id: UUID) -> HttpResponse:
    member = _member_or_404(timebank, public_id)
    access_record(actor=request.user, target=member, purpose="statement", path=request.path)
    return _statement_render(request, member, own=False)


@require_GET
@broker_view
def member_statement_csv(request: HttpRequest, timebank: Timebank, public_id: UUID) -> HttpResponse:
    member = _member_or_404(timebank, public_id)
    access_record(actor=request.user, target=member, purpose="statement csv", path=request.path)
    return _statement_csv(member)


@require_http_methods(["GET", "POST"])
@broker_view
def member_restrictions(request: HttpRequest, timebank: Timebank, public_id: UUID) -> HttpResponse:
    """Set or lift a member's restrictions ("no home visits", "accompanied only"), with a note."""
    member = _member_or_404(timebank, public_id)
    form = RestrictionsForm(
        request.POST or None,
        initial={
            "vulnerable": member.vulnerable,
            "no_home_visits": member.no_home_visits,
            "accompanied_only": member.accompanied_only,
            "note": member.restriction_note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            member_restrictions_set(actor=_user(request), member=member, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{member.display_name}'s restrictions are saved.")
            return redirect(
                "timebank:member_detail", slug=timebank.slug, public_id=member.public_id
            )
    return render(
        request,
        "timebank/broker/restrictions_form.html",
        {"timebank": timebank, "member": member, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@broker_view
def vetting_add(request: HttpRequest, timebank: Timebank, public_id: UUID) -> HttpResponse:
    member = _member_or_404(timebank, public_id)
    form = VettingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            vetting_record_add(actor=_user(request), member=member, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "The check is recorded.")
            return redirect(
                "timebank:member_detail", slug=timebank.slug, public_id=member.public_id
            )
    return render(
        request,
        "timebank/broker/vetting_form.html",
        {"timebank": timebank, "member": member, "form": form},
        status=400 if form.errors else 200,
    )


def _account_or_404(timebank: Timebank, public_id: UUID) -> Account:
    account = account_get(timebank=timebank, public_id=public_id)
    if account is None:
        raise Http404("No such account")
    return account


def _account_back(account: Account, timebank: Timebank) -> HttpResponse:
    if account.member is not None:
        return redirect(
            "timebank:member_detail", slug=timebank.slug, public_id=account.member.public_id
        )
    return redirect("timebank:member_list", slug=timebank.slug)


@require_http_methods(["GET", "POST"])
@broker_view
def account_status(request: HttpRequest, timebank: Timebank, public_id: UUID) -> HttpResponse:
    """Freeze or unfreeze an account, with the reason."""
    account = _account_or_404(timebank, public_id)
    form = AccountStatusForm(request.POST or None, initial={"status": account.status})
    if request.method == "POST" and form.is_valid():
        try:
            ledger.account_status_set(
                actor=_user(request),
                account=account,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except (ledger.LedgerError, ValidationError) as error:
            form.add_error(None, "; ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request, f"{account.name}'s account is now {account.get_status_display().lower()}."
            )
            return _account_back(account, timebank)
    return render(
        request,
        "timebank/broker/account_status.html",
        {"timebank": timebank, "account": account, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@broker_view
def account_limits(request: HttpRequest, timebank: Timebank, public_id: UUID) -> HttpResponse:
    """Change an account's balance limits, with the reason."""
    account = _account_or_404(timebank, public_id)
    form = _limits_form(account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ledger.account_limits_change(
                actor=_user(request),
                account=account,
                min_balance=data["min_hours"] * 60 if data["min_hours"] is not None else None,
                max_balance=data["max_hours"] * 60 if data["max_hours"] is not None else None,
                reason=data["reason"],
            )
        except (ledger.LedgerError, ValidationError) as error:
            form.add_error(None, "; ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, f"{account.name}'s limits are changed.")
            return _account_back(account, timebank)
    return render(
        request,
        "timebank/broker/account_limits.html",
        {"timebank": timebank, "account": account, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@broker_view
def proxy_create(request: HttpRequest, timebank: Timebank) -> HttpResponse:
    """Add a member who has no email or internet; the broker acts for them."""
    form = ProxyMemberForm(request.POST or None, timebank=timebank)
    if request.method == "POST" and form.is_valid():
        try:
            member = proxy_member_create(
                actor=_user(request), timebank=timebank, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{member.display_name} is now a member; you act for them.")
            return redirect(
                "timebank:member_detail", slug=timebank.slug, public_id=member.public_id
            )
    return render(
        request,
        "timebank/broker/proxy_form.html",
        {"timebank": timebank, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@broker_view
def organisation_add(request: HttpRequest, timebank: Timebank) -> HttpResponse:
    """Add an organisation (a school, a community hub) as an account holder."""
    form = OrganisationAccountForm(request.POST or None, timebank=timebank)
    if request.method == "POST" and form.is_valid():
        try:
            account = organisation_account_add(
                actor=_user(request),
                timebank=timebank,
                organisation=form.cleaned_data["organisation"],
            )
        except (ValidationError, ledger.LedgerError) as error:
            if isinstance(error, ValidationError):
                _add_errors(form, error)
            else:
                form.add_error(None, str(error))
        else:
            messages.success(request, f"{account.name} now has an account.")
            return redirect("timebank:member_list", slug=timebank.slug)
    return render(
        request,
        "timebank/broker/organisation_form.html",
        {"timebank": timebank, "form": form},
        status=400 if form.errors else 200,
    )
