"""File uploads: this site takes none."""

from django.core.exceptions import BadRequest
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext_lazy as _


class RefuseFileUploads(FileUploadHandler):
    """The one upload handler: a file part in any form is a bad request, never a file on disk.

    No form or API call here has a file field, so a multipart body carrying a file is not
    something a page of this site sent. Multipart forms without files still work.
    """

    def new_file(self, *args, **kwargs):
        raise BadRequest(_("This site takes no file uploads."))

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None
