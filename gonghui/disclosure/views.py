"""Open-affairs screens that are more than a model list, inside the admin
shell. Each finds its object among the unions where the user holds the
permission the step needs (another union's record is 404) and calls one
service."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gonghui import backoffice
from gonghui.disclosure import services
from gonghui.disclosure.forms import BudgetPostForm, PostForm, ReplyForm, WithdrawForm
from gonghui.disclosure.models import Feedback, Post
from gonghui.orgs.models import Union
from gonghui.orgs.roles import Perm

in_admin = backoffice.in_admin


def _unions(request, perm: str = Perm.CHANGE_DISCLOSURE):
    return backoffice.unions_with(request, perm, "您没有厂务公开的管理权限")


def _get(request, model, pk, perm: str = Perm.CHANGE_DISCLOSURE):
    return backoffice.record_of(request, model, pk, perm)


def _page(request, **page):
    return backoffice.form_page(request, "disclosure/form.html", **page)


def _submit(request, form, act, *, done, saved: str = "已保存"):
    return backoffice.submit(request, form, act, done=done, said=lambda r: f"{saved}：{r}")


def post_url(post: Post) -> str:
    return reverse("admin:disclosure_post_change", args=[post.pk])


def add_post(request):
    form = PostForm(request.POST or None, unions=_unions(request))
    done = _submit(
        request,
        form,
        lambda d: services.create_post(actor=request.user, **d),
        done=post_url,
        saved="已发布",
    )
    return done or _page(request, form=form, title="发布公开事项", submit="发布")


@in_admin
def edit_post(request, pk):
    post = _get(request, Post, pk)
    initial = {
        "category": post.category,
        "title": post.title,
        "body": post.body,
        "audience": post.audience,
        "publish_on": post.publish_on,
        "withdraw_on": post.withdraw_on,
    }
    form = PostForm(request.POST or None, initial=initial, unions=Union.objects.none())
    del form.fields["union"]
    done = _submit(
        request,
        form,
        lambda d: services.update_post(post=post, actor=request.user, **d),
        done=post_url,
    )
    return done or _page(request, form=form, title=f"修改：{post}", back_url=post_url(post))


@in_admin
def withdraw_post(request, pk):
    post = _get(request, Post, pk)
    form = WithdrawForm(request.POST or None)
    done = _submit(
        request,
        form,
        lambda d: services.withdraw(post=post, actor=request.user, **d),
        done=post_url,
        saved="已撤下",
    )
    return done or _page(
        request,
        form=form,
        title=f"撤下：{post}",
        intro="撤下后会员不再能看到该事项，阅读记录和提问保留。",
        submit="撤下",
        back_url=post_url(post),
    )


@in_admin
def reply(request, pk):
    feedback = _get(request, Feedback, pk)
    initial = {"reply": feedback.reply, "public": feedback.reply_public}
    form = ReplyForm(request.POST or None, initial=initial)
    done = _submit(
        request,
        form,
        lambda d: services.reply(
            feedback=feedback, reply=d["reply"], public=d["public"], actor=request.user
        ),
        done=lambda f: reverse("admin:disclosure_feedback_change", args=[f.pk]),
        saved="已答复",
    )
    return done or _page(
        request,
        form=form,
        title=f"答复{feedback.member.name}的{feedback.get_kind_display()}",
        intro=f"关于“{feedback.post.title}”：{feedback.content}",
        submit="答复",
    )


@in_admin
def publish_budget(request):
    unions = _unions(request)
    finance_unions = [u for u in unions if request.access.can(Perm.VIEW_FINANCE, u.pk)]
    if not finance_unions:
        raise PermissionDenied("公开经费预算需要同时具有财务查看权限")
    form = BudgetPostForm(
        request.POST or None, unions=Union.objects.filter(pk__in=[u.pk for u in finance_unions])
    )
    done = _submit(
        request,
        form,
        lambda d: services.publish_budget(
            fiscal_year=d["fiscal_year"], what=d["what"], actor=request.user
        ),
        done=post_url,
        saved="已公开",
    )
    return done or _page(
        request,
        form=form,
        title="公开经费预算或收支情况",
        intro="根据财务账中的预算科目和收支记录自动生成公开内容，发布后向全体会员公开。",
        submit="生成并公开",
    )
