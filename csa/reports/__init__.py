"""Reports for the strategy group and the board: the quarterly Performance and Priorities
Update (:mod:`csa.reports.board_pack`) and the Word and Excel exports of it and of recovery
plans (:mod:`csa.reports.docx_export`, :mod:`csa.reports.xlsx_export`), with charts rendered
to images offline (:mod:`csa.reports.charts`).
"""
