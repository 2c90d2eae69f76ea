"""Every GET parameter each view reads, by URL name — the table the fuzz test draws from.

tests/fuzz/test_fuzz.py::test_the_table_names_every_get_parameter_the_views_read sends every
URL, as every role, through a middleware that records each key a view reads from request.GET,
and fails on a key missing here: a new parameter cannot be left out of the fuzzing.
Admin change lists read theirs from their filters; the test lists those from the admin itself.
"""

PAGE = ("page",)

NEXT = ("next",)

GET_PARAMETERS: dict[str, tuple[str, ...]] = {
    # accounts, allauth and the language switch: where to go afterwards
    **{
        name: NEXT
        for name in (
            "account_login",
            "account_logout",
            "account_change_password",
            "account_confirm_email",
            "account_confirm_login_code",
            "account_email_verification_sent",
            "account_inactive",
            "account_reauthenticate",
            "account_reset_password",
            "account_reset_password_done",
            "account_reset_password_from_key",
            "account_reset_password_from_key_done",
            "mfa_authenticate",
            "mfa_reauthenticate",
            "set_language",
        )
    },
    "account_signup": ("email", "next"),
    # organizations
    "organizations:directory": ("q", "field", "org_type", *PAGE),
    "organizations:staff_list": ("q", "status", "org_type", "field", "expiring", *PAGE),
    "organizations:staff_export": ("q", "status", "org_type", "field", "expiring"),
    # publications
    "publications:news_list": ("category", *PAGE),
    "publications:grant_list": ("field", "amount", *PAGE),
    "publications:grant_archive": PAGE,
    "publications:newsletter_archive": PAGE,
    "publications:subscribe": ("email",),
    # consultations
    "consultations:my_cases": PAGE,
    "consultations:case_list": (
        "q",
        "status",
        "category",
        "channel",
        "staff",
        "start",
        "end",
        *PAGE,
    ),
    "consultations:case_export": ("q", "status", "category", "channel", "staff", "start", "end"),
    "consultations:statistics": ("period", "fiscal_year", "month", "start", "end"),
    "consultations:statistics_export": ("period", "fiscal_year", "month", "start", "end"),
    "consultations:access_log": PAGE,
    # events
    "events:event_list": ("kind", *PAGE),
    "events:event_archive": ("kind", *PAGE),
    "events:event_calendar": ("month", "kind"),
    "events_staff:event_list": ("kind", "show", *PAGE),
    "events_staff:application_list": ("status", *PAGE),
    "events_staff:application_export": ("status",),
    "events_staff:statistics": ("year",),
    # coordination (the needs/offers board)
    "coordination:board": ("kind", "field", "region", "category", *PAGE),
    "coordination:mine": PAGE,
    "coordination:staff_posts": ("status", "kind", *PAGE),
    "council:meetings": PAGE,
    "council:member_home": PAGE,
    "library:documents": ("category", *PAGE),
    # facilities (the booking form reads the rest once the resource is one)
    "facilities:resource_detail": ("view", "date"),
    "facilities:day": ("date",),
    "facilities:booking_create": (
        "resource",
        "date",
        "slot",
        "start",
        "end",
        "attendees",
        "purpose",
    ),
    "facilities:booking_list": ("show", *PAGE),
    "facilities_staff:counter": ("date",),
    "facilities_staff:book": ("date",),
    "facilities_staff:block": ("date",),
    "facilities_staff:booking_list": ("start", "end", "resource", "organization", "status", *PAGE),
    "facilities_staff:booking_export": ("start", "end", "resource", "organization", "status"),
    "facilities_staff:printer_totals": ("month",),
    "facilities_staff:printer_export": ("month",),
    "facilities_series:series_new": ("resource",),
    "facilities_series:waitlist_join": ("resource", "start", "end"),
    # proposals
    "proposals:mine": ("all", *PAGE),
    "proposals_review:dashboard": ("sort", "page"),
    "proposals_review:declarations": ("page",),
    "proposals_staff:rounds": PAGE,
    "proposals_staff:round": PAGE,
    "proposals_staff:proposal": ("version",),
    # the public API (DRF reads ?format= on every view: content negotiation)
    "api:schema": ("format", "lang", "version"),
    "api:organization-list": ("q", "field", "org_type", "page", "page_size", "format"),
    "api:organization-detail": ("format",),
    "api:resource-list": ("format",),
    "api:resource-detail": ("format",),
    "api:resource-busy": ("start", "days", "format"),
    "api:adopted-proposal-list": ("fiscal_year", "page", "page_size", "format"),
    "api:adopted-proposal-detail": ("format",),
    # evaluations
    "evaluations:index": PAGE,
    "evaluations:mine": PAGE,
    "evaluations_staff:index": ("year", "start_page", *PAGE),
    # subsidies
    "subsidies:index": PAGE,
    "subsidies:mine": PAGE,
    "subsidies_staff:programmes": PAGE,
    "subsidies_staff:programme": ("status", *PAGE),
    "subsidies_staff:programme_export": ("status",),
}
