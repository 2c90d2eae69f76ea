"""``{% load library %}{% library_url "kyodo-manual" as url %}``: a pillar's page links a form
or a guide from the documents library by its stable name (empty when it is not published)."""

from django import template

from coordination.library import library_url as _library_url

register = template.Library()


@register.simple_tag
def library_url(slug):
    return _library_url(slug)
