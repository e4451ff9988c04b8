"""问题类别: the office keeps the category tree in the app (add, rename, reorder, deactivate); everyone else 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xuncha.roles import require_manage

from .. import categories as services
from ..models import FindingCategory


class CategoryForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100)
    parent = forms.ModelChoiceField(
        label=gettext_lazy("上级类别"), queryset=FindingCategory.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = FindingCategory.objects.filter(is_active=True).order_by("order", "code")
        self.fields["parent"].empty_label = gettext_lazy("（顶级类别）")


def _tree():
    """Depth-first, in the office's order: (category, depth) rows for the page."""
    rows = list(FindingCategory.objects.order_by("order", "code"))
    children = {}
    for c in rows:
        children.setdefault(c.parent_id, []).append(c)
    out = []

    def walk(parent_id, depth):
        for c in children.get(parent_id, []):
            out.append((c, depth))
            walk(c.pk, depth + 1)

    walk(None, 0)
    return out


def _run(request, service, **kwargs):
    try:
        return service(actor=request.user, **kwargs) or True
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None


@login_required
def category_list(request):
    require_manage(request.user)
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            category = services.category_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("已新增问题类别“%(name)s”。") % {"name": category.name})
            return redirect("findings:category_list")
    log = FindingCategory.history.select_related("history_user").order_by("-history_date", "-history_id")[:50]
    return render(request, "findings/category_list.html", {"rows": _tree(), "form": form, "log": log})


@login_required
@require_POST
def category_rename(request, pk):
    require_manage(request.user)
    category = get_object_or_404(FindingCategory, pk=pk)
    form = CategoryForm({"name": request.POST.get("name", "")})  # the create form's rules for a name
    form.is_valid()
    if "name" in form.errors:
        for error in form.errors["name"]:
            messages.error(request, _("类别名称：%(error)s") % {"error": error})
    elif _run(request, services.category_rename, category=category, name=form.cleaned_data["name"]):
        messages.success(request, _("已保存问题类别“%(name)s”。") % {"name": form.cleaned_data["name"]})
    return redirect("findings:category_list")


@login_required
@require_POST
def category_move(request, pk, up):
    require_manage(request.user)
    _run(request, services.category_move, category=get_object_or_404(FindingCategory, pk=pk), up=up)
    return redirect("findings:category_list")


@login_required
@require_POST
def category_set_active(request, pk, active):
    require_manage(request.user)
    category = get_object_or_404(FindingCategory, pk=pk)
    if _run(request, services.category_set_active, category=category, active=active):
        if active:
            messages.success(request, _("已恢复问题类别“%(name)s”。") % {"name": category.name})
        else:
            messages.success(request, _("已停用问题类别“%(name)s”，已有问题底稿不受影响。") % {"name": category.name})
    return redirect("findings:category_list")


@login_required
@require_POST
def category_delete(request, pk):
    require_manage(request.user)
    category = get_object_or_404(FindingCategory, pk=pk)
    if _run(request, services.category_delete, category=category):
        messages.success(request, _("已删除问题类别“%(name)s”。") % {"name": category.name})
    return redirect("findings:category_list")
