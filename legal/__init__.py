"""The bottom layer: rules of Kazakh legal text that every other layer shares.

One home for each rule (docs/design.md §2):

- :mod:`legal.dates`: Russian and Kazakh dates and month names ("22.07.2011", "22 июля 2011 года",
  "2012.04.27", "2011 жылғы 22 шілдедегі");
- :mod:`legal.roman`: Roman numerals, with the Cyrillic look-alikes adilet types in them ("292-VІ");
- :mod:`legal.act_kinds`: kinds of acts (закон, кодекс, указ …) and their case forms;
- :mod:`legal.act_ids`: adilet act ids, act numbers, and the derivation of an id from kind, date, number;
- :mod:`legal.eid`: the :class:`~legal.eid.Eid` value type (``art_48__para_2__point_3``).

Pure functions and value types only; this package imports nothing else of the project.
"""
