from django import forms

from .embeds import PROVIDER_NAMES, normalize_embed
from .models import Talk

EMBED_HELP = (
    "Paste a link or the provider's embed code. Accepted: " + ", ".join(PROVIDER_NAMES) + "."
)


def embed_field(label):
    # Longer than the stored URL: speakers may paste a provider's whole <iframe> code.
    return forms.CharField(
        label=label,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=EMBED_HELP,
    )


class TalkForm(forms.ModelForm):
    slides_url = embed_field("Slides")
    video_url = embed_field("Video")
    venue_url = forms.URLField(
        label="Venue URL", required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Talk
        fields = ["title", "description", "slides_url", "video_url", "venue", "venue_url", "date"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean_slides_url(self):
        return normalize_embed(self.cleaned_data["slides_url"])

    def clean_video_url(self):
        return normalize_embed(self.cleaned_data["video_url"])
