import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xuncha.filtersets import ListFilterSet
from xuncha.paging import paginate

from .. import services
from ..models import Notification
from ..reminders import RUNG_GROUPS, SUBJECTS
from ..reminders.ladder import GROUP_OF_RUNG

GROUP_RUNGS = {key: [r.value for r in rungs] for key, _label, rungs in RUNG_GROUPS}
GROUP_LABELS = {key: label for key, label, _rungs in RUNG_GROUPS}


class InboxFilterSet(ListFilterSet):
    """站内消息's filters, declared once for the inbox and a digest's page (which filters its items alike).

    A digest matches when one of its items does: `kind` and `rung` keep only digests with such an item, `q`
    searches a message and a digest's items. `item_filters()` gives the values to `_item_filter`."""

    q = django_filters.CharFilter(label=gettext_lazy("搜索"), max_length=100, method="filter_items")
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("事项"), choices=SUBJECTS, empty_label=gettext_lazy("全部事项"), method="filter_items"
    )
    rung = django_filters.ChoiceFilter(
        label=gettext_lazy("提醒级别"),
        choices=[(key, label) for key, label, _r in RUNG_GROUPS],
        empty_label=gettext_lazy("全部级别"),
        method="filter_items",
    )
    read = django_filters.ChoiceFilter(
        label=gettext_lazy("状态"),
        choices=[("unread", gettext_lazy("未读")), ("read", gettext_lazy("已读"))],
        empty_label=gettext_lazy("全部"),
        method="filter_read",
    )
    # the former "只看未读" link: ?unread=1
    unread = django_filters.BooleanFilter(widget=forms.HiddenInput, method="filter_items")

    class Meta:
        model = Notification
        fields = []

    def item_filters(self) -> dict:
        """The valid filters with a value: a bad value drops itself (its error shows), never the others."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        found = {k: v for k, v in self.form.cleaned_data.items() if v}
        if found.pop("unread", False):
            found.setdefault("read", "unread")
        return found

    def filter_items(self, queryset, name, value):
        return queryset  # together, in filter_queryset

    def filter_read(self, queryset, name, value):
        return queryset  # with ?unread=1, in filter_queryset

    def filter_queryset(self, queryset):
        filters = self.item_filters()
        kind, rung, q = filters.get("kind"), filters.get("rung"), filters.get("q")
        items = Notification.objects.filter(digest=OuterRef("pk")).filter(_item_filter(filters))
        if kind or rung:
            queryset = queryset.filter(day__isnull=False).filter(Exists(items))
        elif q:
            queryset = queryset.filter(Q(title__icontains=q) | Q(body__icontains=q) | Exists(items))
        if filters.get("read") == "unread":
            queryset = queryset.filter(read_at__isnull=True)
        elif filters.get("read") == "read":
            queryset = queryset.filter(read_at__isnull=False)
        return queryset


def _item_filter(filters: dict) -> Q:
    """What an item of a digest must be to match the filters (its kind, its rung group, the words searched)."""
    q = Q()
    if filters.get("kind"):
        q &= Q(**{f"reminder__{filters['kind']}__isnull": False})
    if filters.get("rung"):
        q &= Q(reminder__rung__in=GROUP_RUNGS[filters["rung"]])
    if filters.get("q"):
        q &= Q(title__icontains=filters["q"]) | Q(body__icontains=filters["q"])
    return q


def inbox_list(*, user):
    """The user's digests (one a day) and plain messages, newest first (InboxFilterSet filters them)."""
    notes = Notification.objects.filter(recipient=user, reminder__isnull=True)
    return notes.order_by("-created_at", "-pk")


def _group_counts(digests, filters: dict) -> dict:
    """Per digest on the page: how many of its items (matching the filters) fall in each rung group. One query."""
    counts: dict = {}
    if not digests:
        return counts
    rows = (
        Notification.objects.filter(digest__in=digests)
        .filter(_item_filter(filters))
        .values("digest_id", "reminder__rung")
        .annotate(n=Count("pk"))
    )
    order = {key: i for i, (key, _label, _r) in enumerate(RUNG_GROUPS)}
    for row in rows:
        key = GROUP_OF_RUNG[row["reminder__rung"]]
        per = counts.setdefault(row["digest_id"], {})
        per[key] = per.get(key, 0) + row["n"]
    return {
        pk: [(key, GROUP_LABELS[key], n) for key, n in sorted(per.items(), key=lambda kv: order[kv[0]])]
        for pk, per in counts.items()
    }


@login_required
def inbox(request):
    """站内消息: one digest a day (its reminders counted by rung group) and plain messages, grouped by day."""
    filterset = InboxFilterSet(request.GET, queryset=inbox_list(user=request.user), request=request)
    form, filters = filterset.form, filterset.item_filters()
    page = paginate(request, filterset.qs)
    counts = _group_counts([n for n in page if n.day], filters)
    for note in page:
        note.group_counts = counts.get(note.pk, [])
    return render(
        request,
        "rectification/inbox.html",
        {"page": page, "form": form, "filters": filters, "unread_only": filters.get("read") == "unread"},
    )


@login_required
def inbox_digest(request, pk):
    """One day's digest: its items by rung group (即将到期 / 今日到期 / 已逾期 / 督办), filtered like the inbox."""
    digest = get_object_or_404(Notification, pk=pk, recipient=request.user, day__isnull=False)
    services.notification_mark_read(actor=request.user, notification=digest)
    filterset = InboxFilterSet(request.GET, queryset=Notification.objects.none(), request=request)
    form, filters = filterset.form, filterset.item_filters()
    order = Case(
        *[When(reminder__rung__in=GROUP_RUNGS[key], then=Value(i)) for i, (key, _l, _r) in enumerate(RUNG_GROUPS)],
        output_field=IntegerField(),
    )
    items = (
        Notification.objects.filter(digest=digest)
        .filter(_item_filter(filters))
        .select_related("reminder")
        .annotate(group_order=order)
        .order_by("group_order", "reminder__due_date", "pk")
    )
    page = paginate(request, items)
    for item in page:
        item.group_label = GROUP_LABELS[GROUP_OF_RUNG[item.reminder.rung]]
    counts = _group_counts([digest], {}).get(digest.pk, [])
    return render(
        request, "rectification/inbox_digest.html", {"digest": digest, "page": page, "form": form, "counts": counts}
    )


@login_required
@require_POST
def inbox_read(request, pk):
    """Mark read, then follow the message's link (or come back to the inbox)."""
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(actor=request.user, notification=note)
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("rectification:inbox")


@login_required
@require_POST
def inbox_read_all(request):
    n = services.notification_mark_all_read(actor=request.user)
    messages.success(request, _("已将 %d 条消息标为已读。") % n)
    return redirect("rectification:inbox")
