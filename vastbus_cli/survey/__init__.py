"""The knowledge survey: made from the course, handed out before and after a training, its answers counted.

``define`` chooses the items from the edition's misconceptions and the quiz (``survey make``);
the other modules write the forms, import the exports and analyse the counts.
"""
