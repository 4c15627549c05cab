from django.contrib import admin

from aftersales.core.admin import ReadOnlyAdmin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "channel",
        "template",
        "recipient",
        "state",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["channel", "state", "template"]
