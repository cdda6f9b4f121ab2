"""``mentorkit demo``: a whole year of the coordinator's cycle on an example cohort of 48 pairs
in six countries and four languages, deterministically for a given seed.

* :mod:`toolkit.demo.cohort`: the roster (fixed, so the matching gives the same pairs);
* :mod:`toolkit.demo.texts`: what the pairs type, in English, French, Spanish and Portuguese;
* :mod:`toolkit.demo.behaviour`: how one pair fills its workbook over the year;
* :mod:`toolkit.demo.clients`: LibreOffice re-saves, a pair's own password, a damaged file;
* :mod:`toolkit.demo.year`: the timeline, with the coordinator's commands;
* :mod:`toolkit.demo.digest`: the ledger digest that shows two runs gave the same ledger;
* :mod:`toolkit.demo.last_words`: where to look once it has run;
* :mod:`toolkit.demo.fill`: filling a workbook the way a person would (also for the tests);
* :mod:`toolkit.demo.samples`: ``sample_workbooks/``, chosen from what the demo produced.
"""

from toolkit.demo.last_words import where_to_look
from toolkit.demo.year import DemoResult, run_demo

__all__ = ["DemoResult", "run_demo", "where_to_look"]
