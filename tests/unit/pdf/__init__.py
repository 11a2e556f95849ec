"""Tests of the paper claim forms (CMS-1500, UB-04) rendered as PDF."""
