# Scaffolding: the agent screens are built in this module.
def _todo(*args, **kwargs):
    raise NotImplementedError


queue = intake = intake_lookup = intake_related = attachment_download = case_detail = _todo
case_reply = case_note = case_transition = case_assign = case_edit = attachment_upload = _todo
