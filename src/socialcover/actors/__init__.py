"""The actor registry: organisations, contact people and partnerships, with their expertise
and languages, and a "who knows what" search (:func:`who_knows_what`)."""

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
    who_knows_what,
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
    "who_knows_what",
]
