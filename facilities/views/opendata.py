from facilities.opendata import PUBLIC_FACILITIES_HEADER, public_facilities_rows
from kyodo.exports import csv_download
from kyodo.site import site_url


def public_facilities_csv(request):
    """「公共施設一覧」: the rooms in the standard open-data format (UTF-8 with BOM)."""
    response, write = csv_download("public_facilities.csv")
    write(PUBLIC_FACILITIES_HEADER)
    for row in public_facilities_rows(site_url()):
        write(row)
    return response
