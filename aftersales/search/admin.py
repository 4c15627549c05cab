from django.contrib import admin

from aftersales.core.admin import AuditedAdmin

from . import dictionary
from .models import SearchWord


@admin.register(SearchWord)
class SearchWordAdmin(AuditedAdmin):
    """Words of the search dictionary (product names, part names, brands). Saved words are
    used for text indexed from then on; ``aftersales search_rebuild`` applies them to all."""

    list_display = ["word", "note", "created_at"]
    search_fields = ["word", "note"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        dictionary.word_added(obj.word)
