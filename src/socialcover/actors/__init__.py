"""The actor registry: organisations, contact people and partnerships."""

from socialcover.actors.organisations import (
    ORGANISATIONS,
    ContactInput,
    OrganisationInput,
    PartnershipInput,
    add_contact,
    add_partnership,
    create_organisation,
    delete_organisation,
    find_organisation,
    get_organisation,
    list_organisations,
    organisation_as_dict,
    partnerships_of,
    remove_contact,
    remove_partnership,
    update_organisation,
)

__all__ = [
    "ORGANISATIONS",
    "ContactInput",
    "OrganisationInput",
    "PartnershipInput",
    "add_contact",
    "add_partnership",
    "create_organisation",
    "delete_organisation",
    "find_organisation",
    "get_organisation",
    "list_organisations",
    "organisation_as_dict",
    "partnerships_of",
    "remove_contact",
    "remove_partnership",
    "update_organisation",
]
