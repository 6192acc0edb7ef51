"""`{% render_panels "slot" obj %}`: the fragments other apps registered for this page (core.registry)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from phoihop.core.registry import panels

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panels(context, slot: str, obj):
    request = context.get("request")
    out = []
    for panel in panels(slot):
        extra = panel.context(request, obj)
        if extra is None:
            continue
        out.append(render_to_string(panel.template, {**context.flatten(), **extra}, request=request))
    return mark_safe("".join(out))  # noqa: S308 - each fragment is a template rendered with autoescape
