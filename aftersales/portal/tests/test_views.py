"""The customer portal: who may open each page, and what each form does to the database."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aftersales.accounts.models import User
from aftersales.accounts.roles import Role
from aftersales.cases.choices import EventKind, Status
from aftersales.cases.models import Attachment, Case, CaseEvent
from aftersales.cases.services import case_note, case_reply, case_transition
from aftersales.conftest import make_case, make_user
from aftersales.core.models import AuditLog
from aftersales.core.testing import image_bytes, pdf_bytes
from aftersales.customers.models import Asset, Customer

pytestmark = pytest.mark.django_db

PNG = image_bytes("PNG")
PASSWORD = "Kongtiao-2026-xyz"

PAGES = [
    ("get", "portal:case_list", False),
    ("get", "portal:case_new", False),
    ("get", "portal:case_detail", True),
    ("post", "portal:case_reply", True),
    ("post", "portal:case_confirm", True),
]


def _url(name: str, with_number: bool, number: str) -> str:
    return reverse(name, args=[number]) if with_number else reverse(name)


def _png(name: str = "photo.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def _snapshot(case: Case) -> tuple:
    case.refresh_from_db()
    return case.status, case.version, case.events.count(), case.attachments.count()


# --- who may open what ----------------------------------------------------------------------


@pytest.mark.parametrize(("method", "name", "with_number"), PAGES)
def test_anonymous_is_sent_to_sign_in(client, cases, method, name, with_number):
    case = cases["alice_a"]
    before = _snapshot(case)
    url = _url(name, with_number, case.number)
    response = getattr(client, method)(url, {"body": "x", "to_status": "closed"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert _snapshot(case) == before


@pytest.mark.parametrize(("method", "name", "with_number"), PAGES)
def test_staff_are_sent_to_their_queue(client, users, cases, method, name, with_number):
    case = cases["alice_a"]
    before = _snapshot(case)
    client.force_login(users["agent"])
    url = _url(name, with_number, case.number)
    response = getattr(client, method)(url, {"body": "x", "to_status": "closed"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:queue")
    assert _snapshot(case) == before


@pytest.mark.parametrize(("method", "name", "with_number"), PAGES)
def test_account_without_customer_record_is_forbidden(client, cases, method, name, with_number):
    lonely = make_user("lonely", Role.CUSTOMER)
    client.force_login(lonely)
    response = getattr(client, method)(_url(name, with_number, cases["alice_a"].number))
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "name", "with_number"), PAGES[2:])
def test_another_customers_case_is_not_found_and_unchanged(
    client, customers, cases, method, name, with_number
):
    bobs = cases["bob_b"]
    before = _snapshot(bobs)
    client.force_login(customers["alice"].user)
    response = getattr(client, method)(
        _url(name, with_number, bobs.number), {"body": "我也来看看", "to_status": "cancelled"}
    )
    assert response.status_code == 404
    assert _snapshot(bobs) == before


def test_missing_case_is_not_found(client, customers):
    client.force_login(customers["alice"].user)
    response = client.get(reverse("portal:case_detail", args=["SC-2000-000001"]))
    assert response.status_code == 404


def test_signed_in_people_skip_signup(client, customers, users):
    client.force_login(customers["alice"].user)
    assert client.get(reverse("portal:signup"))["Location"] == reverse("core:home")


def test_pages_are_chinese_by_default(client, customers, cases):
    client.force_login(customers["alice"].user)
    for url in (
        reverse("portal:case_list"),
        reverse("portal:case_new"),
        reverse("portal:case_detail", args=[cases["alice_a"].number]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert 'lang="zh-CN"' in response.content.decode()


# --- my requests ----------------------------------------------------------------------------


def test_list_shows_only_own_cases_newest_first(
    client, customers, cases, django_assert_max_num_queries
):
    client.force_login(customers["alice"].user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("portal:case_list"))
    assert response.status_code == 200
    numbers = [c.number for c in response.context["cases"]]
    assert numbers == [cases["alice_complaint"].number, cases["alice_a"].number]
    html = response.content.decode()
    assert html.count('data-testid="portal-case-row"') == 2
    assert cases["bob_b"].number not in html
    assert reverse("portal:case_detail", args=[cases["alice_a"].number]) in html


def test_list_pages_by_keyset(client, customers):
    alice = customers["alice"]
    made = [make_case(alice, title=f"问题 {i}") for i in range(23)]
    client.force_login(alice.user)
    first = client.get(reverse("portal:case_list"))
    assert len(first.context["cases"]) == 20
    cursor = first.context["page"].next_cursor
    assert cursor and 'data-testid="portal-more"' in first.content.decode()
    rest = client.get(reverse("portal:case_list"), {"after": cursor}, HTTP_HX_REQUEST="true")
    assert [c.number for c in rest.context["cases"]] == [c.number for c in made[:3]][::-1]
    assert rest.templates[0].name == "portal/partials/_case_rows.html"
    assert 'data-testid="portal-more"' not in rest.content.decode()
    broken = client.get(reverse("portal:case_list"), {"after": "not-a-cursor"})
    assert broken.status_code == 200 and len(broken.context["cases"]) == 20


# --- sign up --------------------------------------------------------------------------------


def _signup_data(**overrides):
    data = {
        "name": "王小明",
        "phone": "139 1234 5678",
        "email": "xiaoming@example.cn",
        "username": "xiaoming",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "consent_privacy": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_signup_creates_account_records_consent_and_signs_in(client, db):
    response = client.post(reverse("portal:signup"), _signup_data(consent_marketing="on"))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:case_list")
    user = User.objects.get(username="xiaoming")
    customer = user.customer
    assert user.is_customer
    assert customer.contacts.get().phone == "+8613912345678"
    assert customer.consent_recorded_at is not None
    assert customer.consent_marketing is True
    assert AuditLog.objects.filter(action="customer.consent", object_id=str(customer.pk)).exists()
    assert client.get(reverse("portal:case_list")).status_code == 200


def test_signup_without_marketing_consent_keeps_it_off(client, db):
    client.post(reverse("portal:signup"), _signup_data())
    customer = Customer.objects.get(user__username="xiaoming")
    assert customer.consent_recorded_at is not None
    assert customer.consent_marketing is False


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"phone": "电话号码"}, "phone"),
        ({"consent_privacy": None}, "consent_privacy"),
        ({"password2": "something-else-42"}, "password2"),
        ({"password1": "12345678", "password2": "12345678"}, "password1"),
        ({"username": "alice"}, "username"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_signup_errors_create_nothing(client, customers, overrides, field):
    users_before = User.objects.count()
    customers_before = Customer.objects.count()
    response = client.post(reverse("portal:signup"), _signup_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert User.objects.count() == users_before
    assert Customer.objects.count() == customers_before


def test_signup_does_not_take_over_a_known_customer_by_phone(client, db):
    from aftersales.customers.services import customer_create

    known = customer_create(actor=None, name="王小明", phone="13912345678")
    client.post(reverse("portal:signup"), _signup_data())
    known.refresh_from_db()
    assert known.user is None
    mine = Customer.objects.get(user__username="xiaoming")
    assert mine.consent_recorded_at is not None
    assert mine.pk != known.pk


# --- new request ----------------------------------------------------------------------------


def test_new_request_with_photo(client, customers, django_capture_on_commit_callbacks):
    alice = customers["alice"]
    asset = alice.assets.get()
    client.force_login(alice.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:case_new"),
            {
                "case_type": "repair_request",
                "asset": asset.pk,
                "title": "空调不制冷",
                "description": "开机半小时还是热风。",
                "files": [_png(), SimpleUploadedFile("invoice.pdf", pdf_bytes())],
            },
        )
    case = Case.objects.get(title="空调不制冷", channel="portal")
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:case_detail", args=[case.number])
    assert case.customer == alice and case.asset == asset and case.created_by == alice.user
    assert case.status == Status.NEW
    assert sorted(case.attachments.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/png",
    ]
    assert case.notifications.filter(template="case_created", state="sent").exists()


def test_new_request_registers_a_product(client, customers, product_model):
    alice = customers["alice"]
    client.force_login(alice.user)
    response = client.post(
        reverse("portal:case_new"),
        {
            "case_type": "warranty_claim",
            "product_model": product_model.pk,
            "serial_number": "sn-new-77",
            "purchase_date": "2026-01-05",
            "title": "新买的空调漏水",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(title="新买的空调漏水")
    assert case.asset.serial_number == "SN-NEW-77"
    assert case.asset.customer == alice
    assert case.asset.warranty_end is not None


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("photo.jpg", PNG, content_type="image/jpeg"),  # named jpg, is png
        SimpleUploadedFile("photo.png", b"MZ\x90\x00 not an image", content_type="image/png"),
        SimpleUploadedFile("notes.txt", b"plain text", content_type="text/plain"),
    ],
    ids=["disguised", "not-an-image", "text"],
)
def test_bad_upload_is_refused_and_nothing_is_created(client, customers, product_model, upload):
    alice = customers["alice"]
    client.force_login(alice.user)
    counts = (Case.objects.count(), Attachment.objects.count(), Asset.objects.count())
    response = client.post(
        reverse("portal:case_new"),
        {
            "case_type": "repair_request",
            "product_model": product_model.pk,
            "serial_number": "SN-NEVER",
            "title": "空调不制冷",
            "files": [_png("good.png"), upload],
        },
    )
    assert response.status_code == 422
    assert "files" in response.context["form"].errors
    assert (Case.objects.count(), Attachment.objects.count(), Asset.objects.count()) == counts


def test_too_large_upload_is_refused(client, customers, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    client.force_login(customers["alice"].user)
    big = image_bytes("PNG", size=(400, 400), color=(1, 2, 3)) + b"\0" * 2000
    response = client.post(
        reverse("portal:case_new"),
        {"case_type": "repair_request", "title": "太大", "files": [_png(content=big)]},
    )
    assert "files" in response.context["form"].errors
    assert not Case.objects.filter(title="太大").exists()


def test_new_request_rejects_another_customers_product(client, customers):
    client.force_login(customers["alice"].user)
    bobs_asset = customers["bob"].assets.get()
    response = client.post(
        reverse("portal:case_new"),
        {"case_type": "repair_request", "asset": bobs_asset.pk, "title": "借用别人的产品"},
    )
    assert response.status_code == 422
    assert "asset" in response.context["form"].errors
    assert not Case.objects.filter(title="借用别人的产品").exists()


def test_new_request_form_shape(client, customers):
    client.force_login(customers["alice"].user)
    html = client.get(reverse("portal:case_new")).content.decode()
    assert 'data-testid="portal-new-form"' in html and 'enctype="multipart/form-data"' in html
    # no capture attribute: phones then offer both the camera and photos already taken
    assert 'accept="image/*,application/pdf"' in html and "capture=" not in html
    assert "SN-A-0001" in html and "SN-B-0001" not in html


def test_type_fields_are_swapped_in_by_htmx(client, customers):
    client.force_login(customers["alice"].user)
    url = reverse("portal:case_new")
    headers = {"HX-Request": "true", "HX-Target": "portal-type-fields"}
    complaint = client.get(url, {"case_type": "complaint"}, headers=headers)
    html = complaint.content.decode()
    assert complaint.status_code == 200 and "<html" not in html
    assert 'data-type="complaint"' in html
    for name in ("extra-complaint_about", "extra-demand", "extra-incident_date"):
        assert f'name="{name}"' in html
    # the staff's own judgement is not asked of the customer
    assert 'name="extra-repeat"' not in html and "extra-fault_symptom" not in html
    repair = client.get(url, {"case_type": "repair_request"}, headers=headers).content.decode()
    for name in ("fault_symptom", "preferred_visit", "on_site", "service_address"):
        assert f'name="extra-{name}"' in repair
    assert "extra-demand" not in repair


def test_full_page_shows_the_chosen_types_fields(client, customers):
    client.force_login(customers["alice"].user)
    url = reverse("portal:case_new")
    page = client.get(url).content.decode()  # a repair request unless told otherwise
    assert 'id="portal-type-fields"' in page and 'hx-get="/portal/' in page
    assert 'name="extra-fault_symptom"' in page and "extra-demand" not in page
    page = client.get(url, {"case_type": "complaint"}).content.decode()
    assert 'name="extra-demand"' in page and "extra-fault_symptom" not in page
    assert '<option value="complaint" selected>' in page


def test_type_changed_without_javascript_asks_for_its_details(client, customers):
    """The page showed the repair fields; the customer picked a complaint and sent it."""
    client.force_login(customers["alice"].user)
    before = Case.objects.count()
    response = client.post(
        reverse("portal:case_new"),
        {
            "case_type": "complaint",
            "details_type": "repair_request",
            "extra-fault_symptom": "不制冷",
            "description": "师傅迟到两小时",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and Case.objects.count() == before
    assert 'data-testid="form-notice"' in html
    assert 'name="extra-demand"' in html and "extra-fault_symptom" not in html
    assert "师傅迟到两小时" in html
    # sent again with the complaint's details, it is registered
    response = client.post(
        reverse("portal:case_new"),
        {
            "case_type": "complaint",
            "details_type": "complaint",
            "extra-demand": "apology",
            "description": "师傅迟到两小时",
        },
    )
    assert response.status_code == 302
    assert Case.objects.get(description="师傅迟到两小时").extra["demand"] == "apology"


def test_complaint_details_are_stored(client, customers):
    client.force_login(customers["alice"].user)
    response = client.post(
        reverse("portal:case_new"),
        {
            "case_type": "complaint",
            "details_type": "complaint",
            "extra-complaint_about": "staff",
            "extra-demand": "compensation",
            "extra-incident_date": "2026-03-14",
            "title": "安装师傅态度差",
            "description": "上门安装时态度恶劣。",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(title="安装师傅态度差")
    assert case.case_type == "complaint" and case.channel == "portal"
    assert case.extra["complaint_about"] == "staff"
    assert case.extra["demand"] == "compensation"
    assert case.extra["incident_date"] == "2026-03-14"
    assert case.extra["repeat"] is False  # not asked, the schema's default


def test_repair_details_are_stored(client, customers):
    client.force_login(customers["alice"].user)
    response = client.post(
        reverse("portal:case_new"),
        {
            "case_type": "repair_request",
            "details_type": "repair_request",
            "extra-fault_symptom": "外机不转",
            "extra-preferred_visit": "周六上午",
            "extra-service_address": "上海市浦东新区 1 号",
            "description": "空调不制冷",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(description="空调不制冷")
    assert case.extra["fault_symptom"] == "外机不转"
    assert case.extra["on_site"] is False  # the box was left unticked
    assert case.extra["service_address"] == "上海市浦东新区 1 号"


@pytest.mark.parametrize(
    ("case_type", "field", "value", "message"),
    [
        ("complaint", "incident_date", "2026-02-30", "输入一个有效的日期。"),
        ("warranty_claim", "failure_date", "yesterday", "输入一个有效的日期。"),
        ("warranty_claim", "mileage_km", "-5", "确保该值大于或等于0。"),
    ],
)
def test_bad_details_create_nothing(
    client, customers, product_model, case_type, field, value, message
):
    client.force_login(customers["alice"].user)
    counts = (Case.objects.count(), Attachment.objects.count(), Asset.objects.count())
    response = client.post(
        reverse("portal:case_new"),
        {
            "case_type": case_type,
            "details_type": case_type,
            f"extra-{field}": value,
            "product_model": product_model.pk,
            "serial_number": "SN-NEVER-2",
            "description": "详情有误",
            "files": [_png()],
        },
    )
    assert response.status_code == 422
    assert field in response.context["extra_form"].errors
    # shown by the field, in the customer's language (Chinese unless they chose English)
    assert f'data-testid="error-{field}">{message}<' in response.content.decode()
    assert (Case.objects.count(), Attachment.objects.count(), Asset.objects.count()) == counts


def test_description_alone_gives_the_title(client, customers):
    client.force_login(customers["alice"].user)
    response = client.post(
        reverse("portal:case_new"),
        {"case_type": "repair_request", "description": "洗衣机漏水\n底部一直滴水。"},
    )
    assert response.status_code == 302
    case = Case.objects.get(description="洗衣机漏水\n底部一直滴水。")
    assert case.title == "洗衣机漏水"


def test_title_or_description_is_required(client, customers):
    client.force_login(customers["alice"].user)
    before = Case.objects.count()
    response = client.post(
        reverse("portal:case_new"), {"case_type": "repair_request", "title": " ", "description": ""}
    )
    assert response.status_code == 422
    assert "description" in response.context["form"].errors
    assert Case.objects.count() == before


# --- detail, reply, confirm -----------------------------------------------------------------


def test_detail_shows_public_timeline_only(client, users, customers, cases):
    case = cases["alice_a"]
    agent = users["agent"]
    case_note(actor=agent, case=case, body="内部备注：客户脾气急")
    case_reply(actor=agent, case=case, body="师傅明天上午上门。", files=[_png("plan.png")])
    hidden = Attachment.objects.create(
        case=case,
        file="x.png",
        original_name="secret.png",
        content_type="image/png",
        size=1,
        is_public=False,
    )
    client.force_login(customers["alice"].user)
    html = client.get(reverse("portal:case_detail", args=[case.number])).content.decode()
    assert 'data-testid="timeline"' in html and 'data-testid="staff-reply"' in html
    assert "师傅明天上午上门。" in html
    assert "内部备注" not in html
    assert "secret.png" not in html
    assert reverse("cases:attachment_download", args=[hidden.pk]) not in html
    public = case.attachments.get(original_name="plan.png")
    assert html.count(reverse("cases:attachment_download", args=[public.pk])) >= 1


def test_reply_by_htmx_redraws_the_case(client, customers, cases):
    case = cases["alice_a"]
    client.force_login(customers["alice"].user)
    response = client.post(
        reverse("portal:case_reply", args=[case.number]),
        {"body": "好的，我明天在家。", "files": [_png()]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.templates[0].name == "portal/partials/_case_body.html"
    event = case.events.get(kind=EventKind.CUSTOMER_REPLY)
    assert event.body == "好的，我明天在家。" and event.attachments.count() == 1
    assert "好的，我明天在家。" in response.content.decode()


def test_reply_without_htmx_redirects(client, customers, cases):
    case = cases["alice_a"]
    client.force_login(customers["alice"].user)
    response = client.post(reverse("portal:case_reply", args=[case.number]), {"body": "还在吗？"})
    assert response["Location"] == reverse("portal:case_detail", args=[case.number])


def test_empty_or_bad_reply_changes_nothing(client, customers, cases):
    case = cases["alice_a"]
    client.force_login(customers["alice"].user)
    before = _snapshot(case)
    empty = client.post(reverse("portal:case_reply", args=[case.number]), {"body": "  "})
    assert "body" in empty.context["reply_form"].errors
    bad = client.post(
        reverse("portal:case_reply", args=[case.number]),
        {"body": "看图", "files": [SimpleUploadedFile("a.png", b"GIF89a-broken")]},
    )
    assert "files" in bad.context["reply_form"].errors
    assert _snapshot(case) == before


def _resolved(users, case):
    if case.status != Status.IN_PROGRESS:
        case = case_transition(actor=users["agent"], case=case, to_status="in_progress")
    return case_transition(actor=users["agent"], case=case, to_status="resolved")


def test_closed_case_refuses_customer_reply(client, users, customers, cases):
    case = cases["alice_a"]
    case = _resolved(users, case)
    case = case_transition(actor=users["agent"], case=case, to_status="closed")
    client.force_login(customers["alice"].user)
    response = client.post(reverse("portal:case_reply", args=[case.number]), {"body": "再问一下"})
    assert response.context["reply_form"].errors
    assert not case.events.filter(kind=EventKind.CUSTOMER_REPLY).exists()


def test_customer_confirms_resolution(client, users, customers, cases):
    case = _resolved(users, cases["alice_a"])
    client.force_login(customers["alice"].user)
    page = client.get(reverse("portal:case_detail", args=[case.number])).content.decode()
    assert 'data-testid="confirm-resolved"' in page and 'data-testid="reopen"' in page
    response = client.post(
        reverse("portal:case_confirm", args=[case.number]),
        {"to_status": "closed", "version": case.version},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    last = case.events.filter(kind=EventKind.STATUS_CHANGED).last()
    assert last.actor == customers["alice"].user
    closed = client.get(response["Location"]).content.decode()
    assert 'data-testid="portal-case-finished"' in closed
    assert 'data-testid="portal-reply-form"' not in closed


def test_customer_reopens_with_a_reason(client, users, customers, cases):
    case = _resolved(users, cases["alice_a"])
    client.force_login(customers["alice"].user)
    url = reverse("portal:case_confirm", args=[case.number])
    missing = client.post(url, {"to_status": "in_progress", "version": case.version})
    assert missing.status_code == 200
    assert "reason" in missing.context["confirm_form"].errors
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    client.post(url, {"to_status": "in_progress", "reason": "还是不制冷", "version": case.version})
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert case.events.filter(kind=EventKind.STATUS_CHANGED, body="还是不制冷").exists()


def test_customer_cancels_a_new_request(client, customers, cases):
    case = cases["alice_a"]
    client.force_login(customers["alice"].user)
    page = client.get(reverse("portal:case_detail", args=[case.number])).content.decode()
    assert 'data-testid="cancel-request"' in page and 'data-testid="confirm-resolved"' not in page
    client.post(
        reverse("portal:case_confirm", args=[case.number]),
        {"to_status": "cancelled", "reason": "已经自己修好了", "version": case.version},
    )
    case.refresh_from_db()
    assert case.status == Status.CANCELLED


@pytest.mark.parametrize("to_status", ["resolved", "accepted", "closed", "bogus"])
def test_customer_cannot_take_staff_steps(client, customers, cases, to_status):
    case = cases["alice_a"]
    before = _snapshot(case)
    client.force_login(customers["alice"].user)
    response = client.post(
        reverse("portal:case_confirm", args=[case.number]),
        {"to_status": to_status, "reason": "试试", "version": case.version},
    )
    assert response.status_code == 200
    assert response.context["confirm_form"].errors
    assert _snapshot(case) == before


def test_stale_page_does_not_confirm(client, users, customers, cases):
    case = _resolved(users, cases["alice_a"])
    stale_version = case.version
    case = case_transition(actor=users["agent"], case=case, to_status="closed")
    case = case_transition(actor=users["agent"], case=case, to_status="in_progress", reason="复查")
    case = _resolved(users, case)
    client.force_login(customers["alice"].user)
    response = client.post(
        reverse("portal:case_confirm", args=[case.number]),
        {"to_status": "closed", "version": stale_version},
    )
    assert response.context["confirm_form"].errors
    assert 'data-testid="confirm-error"' in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.RESOLVED


def test_events_from_another_customer_never_leak(client, customers, cases):
    CaseEvent.objects.create(
        case=cases["bob_b"], kind=EventKind.PUBLIC_REPLY, body="鲍勃的私事", is_public=True
    )
    client.force_login(customers["alice"].user)
    for url in (
        reverse("portal:case_list"),
        reverse("portal:case_detail", args=[cases["alice_a"].number]),
    ):
        assert "鲍勃的私事" not in client.get(url).content.decode()


def test_pages_use_a_fixed_number_of_queries(
    client, users, customers, cases, django_assert_max_num_queries
):
    case = cases["alice_a"]
    for i in range(6):
        case_reply(actor=users["agent"], case=case, body=f"第 {i} 次答复", files=[_png()])
    client.force_login(customers["alice"].user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("portal:case_detail", args=[case.number])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("portal:case_new")).status_code == 200
